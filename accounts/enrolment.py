"""Enrolling a second factor needs a one-time code from an administrator (or the command line), so
whoever learns a password first cannot take the authenticator secret. Issuing a code resets the user's
authenticator: the old one stops working at once (a lost or compromised phone)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit
from accounts.choices import AuditAction
from accounts.models import EnrolmentCode, User
from config.errors import TransitionNotAllowed

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _normalised(code: str) -> str:
    return code.strip().upper().replace(" ", "").replace("-", "")


@transaction.atomic
def enrolment_code_issue(*, actor: User | None, user: User) -> tuple[EnrolmentCode, str]:
    """A code for `user` to enrol a new authenticator (shown once), her current one removed. `actor`
    None: from the command line. The caller has checked that the actor may manage the user
    (policy.access_user); nobody issues her own."""
    if actor is not None and actor.pk == user.pk:
        raise TransitionNotAllowed("Another administrator issues your enrolment code.")
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    code = _new_code()
    enrolment = EnrolmentCode.objects.create(
        user=user,
        code_hash=make_password(_normalised(code)),
        issued_by=actor,
        issued_at=now,
        expires_at=now + timedelta(hours=settings.ENROLMENT_CODE_HOURS),
    )
    by = actor.get_username() if actor else "the command line"
    audit.record(
        AuditAction.ALTER,
        obj=user,
        changes=["mfa_device"],
        detail=f"enrolment code issued by {by}, valid until {enrolment.expires_at:%Y-%m-%d %H:%M}; "
        f"{removed} authenticator(s) removed",
    )
    return enrolment, code


@transaction.atomic
def enrolment_code_redeem(*, user: User, code: str) -> bool:
    """Use up a live enrolment code of the user's; False when none matches."""
    now = timezone.now()
    for enrolment in EnrolmentCode.objects.select_for_update().filter(
        user=user, used_at__isnull=True, expires_at__gt=now
    ):
        if check_password(_normalised(code), enrolment.code_hash):
            enrolment.used_at = now
            enrolment.save(update_fields=["used_at"])
            return True
    return False


def mfa_enrolled(user: User, device: TOTPDevice) -> None:
    audit.record(AuditAction.ALTER, obj=user, changes=["mfa_device"], detail=f"authenticator {device.pk} enrolled")
