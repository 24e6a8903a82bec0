"""API tokens: issued by a user to herself after two-factor sign-in (or from the server's command line,
for a service account), named, scoped, expiring, revocable and audited. The key is shown once; only
its SHA-256 is kept. See docs/adr/0016."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts import audit
from accounts.api_auth import key_hash
from accounts.choices import AuditAction
from accounts.models import ApiToken, ApiTokenScope, User
from config.errors import InvalidInput, TransitionNotAllowed

KEY_PREFIX = "cw_"
NAME_MAX = 100


def _note_on_user(user: User, detail: str) -> None:
    # On the user too, so the user's own history shows every token issued or revoked.
    audit.record(AuditAction.ALTER, obj=user, changes=["api_tokens"], detail=detail)


@transaction.atomic
def api_token_issue(*, actor: User | None, user: User, name: str, scope: str, after_mfa: bool) -> tuple[ApiToken, str]:
    """A new token for `user` and its key (shown once). `actor` None: issued from the command line by
    the server's operator (service accounts), which counts as verified."""
    if actor is not None and actor.pk != user.pk:
        raise TransitionNotAllowed("A token is issued only to yourself.")
    if actor is not None and settings.REQUIRE_MFA and not after_mfa:
        raise TransitionNotAllowed("Sign in with your second factor before issuing a token.")
    if not user.is_active:
        raise TransitionNotAllowed(f"{user.get_username()} is disabled.")
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "Name the token after what will use it"
    elif len(name) > NAME_MAX:
        errors["name"] = f"Keep the name to {NAME_MAX} characters"
    if scope not in ApiTokenScope.values:
        errors["scope"] = "Choose read only, or read and write"
    if errors:
        raise InvalidInput(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        key_hash=key_hash(key),
        prefix=key[: len(KEY_PREFIX) + 5],
        issued_by=actor,
        issued_after_mfa=after_mfa or actor is None,
        issued_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    how = "from the command line" if actor is None else "by the user"
    _note_on_user(user, f"API token {token.pk} '{name}' ({scope}) issued {how}, expires {token.expires_at:%Y-%m-%d}")
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int, own_only: bool = True) -> ApiToken:
    """Revoke a token: the user her own; an administrator those of users she manages (policy-checked
    by the caller through policy.access_user)."""
    tokens = ApiToken.objects.select_for_update()
    token = (tokens.filter(user=actor) if own_only else tokens).filter(pk=token_id).first()
    if token is None:
        audit.note_refused("accounts.apitoken", token_id)
        raise Http404("No such token.")
    if token.revoked_at is not None:
        raise TransitionNotAllowed(f"This token was revoked on {token.revoked_at:%d %b %Y %H:%M}.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _note_on_user(token.user, f"API token {token.pk} '{token.name}' revoked by {actor.get_username()}")
    return token


def live_tokens(user: User):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
