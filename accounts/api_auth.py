import hashlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from accounts import audit
from accounts.models import ApiToken, ApiTokenScope

# Writing the last use on every request would cost a write per call; once a minute tells enough.
LAST_USED_EVERY = timedelta(minutes=1)


def key_hash(key: str) -> str:
    """A token key is 32 random bytes, so a fast hash is enough to keep it from being read back."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`. Refuses unknown, expired and revoked keys, keys of disabled users,
    keys issued without two-factor sign-in while REQUIRE_MFA is on, and writes with a read-only key.
    Authentication happens after the middleware, so it names the audit actor itself."""

    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Token <key>'.")
        key = header[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is unknown, expired or revoked.")
        if settings.REQUIRE_MFA and not token.issued_after_mfa:
            raise exceptions.AuthenticationFailed(
                "This token was issued without two-factor sign-in: issue a new one after signing in."
            )
        if token.scope == ApiTokenScope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("This token may only read.")
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # not an audited change
        audit.set_actor(token.user)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (registered by being defined)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token issued at /api-tokens/, sent as "Token <key>"',
        }
