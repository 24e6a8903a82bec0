from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.choices import POLICE_ROLES, AlertEmail, Role
from accounts.models import AccessConcern, CPSArea, SupportOrganisation, Unit, User
from config.errors import InvalidInput, TransitionNotAllowed


def place_for_role(role: str, code: str) -> dict:
    """The user fields naming where someone of this role works: a unit, a CPS area or an organisation."""
    if role in POLICE_ROLES:
        model, field = Unit, "unit"
    elif role == Role.CPS_LAWYER:
        model, field = CPSArea, "cps_area"
    elif role == Role.ADVOCATE:
        model, field = SupportOrganisation, "organisation"
    else:
        known = ", ".join(Role.values)
        raise InvalidInput({"role": f"Unknown role {role!r}. Known roles: {known}."})
    place = model.objects.filter(code=code).first()
    if place is None:
        known = ", ".join(model.objects.order_by("code").values_list("code", flat=True)) or "none yet"
        label = model._meta.verbose_name
        raise InvalidInput({"unit": f"Unknown {label} {code!r} for role {role}. Known: {known}."})
    return {field: place}


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    place_code: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput({"username": f"A user called {username!r} already exists."})
    place = place_for_role(role, place_code)
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        **place,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    staff_rights_sync(user)
    return user


def staff_rights_sync(user: User) -> None:
    """Registrars reach the admin (what they may do there is decided by policy.MANAGE_USERS, not by
    Django permissions); nobody else does unless a superuser. Permissions are never handed out."""
    is_staff = user.is_superuser or user.role == Role.REGISTRAR
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    if not user.is_superuser:
        user.user_permissions.clear()
        user.groups.clear()


@transaction.atomic
def user_alert_email_set(*, actor: User, alert_email: str) -> User:
    """How the user hears of new alerts by e-mail; each user sets only their own."""
    if alert_email not in AlertEmail.values:
        raise InvalidInput({"alert_email": "Choose how you want to hear of new alerts"})
    if actor.alert_email != alert_email:
        actor.alert_email = alert_email
        actor.save(update_fields=["alert_email"])  # audited by the registered User model's save
    return actor


NOTE_MAX = 2000


@transaction.atomic
def access_concern_acknowledge(*, actor: User, concern_id: int, note: str) -> AccessConcern:
    """A registrar has looked into an access concern: what she found or did, in a note (audited as the
    concern's alteration). Reached through the policy, so never a concern about herself."""
    concern = policy.access_concern(actor, concern_id)
    concern = AccessConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.acknowledged_at is not None:
        raise TransitionNotAllowed(
            f"This concern was acknowledged by {concern.acknowledged_by} on {concern.acknowledged_at:%d %b %Y %H:%M}"
        )
    note = note.strip()
    if not note:
        raise InvalidInput({"note": "Say what you found or did about these refused attempts"})
    if len(note) > NOTE_MAX:
        raise InvalidInput({"note": f"Keep the note to {NOTE_MAX} characters"})
    concern.acknowledged_by, concern.acknowledged_at, concern.note = actor, timezone.now(), note
    concern.save(update_fields=["acknowledged_by", "acknowledged_at", "note"])
    return concern
