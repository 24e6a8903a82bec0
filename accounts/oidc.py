"""Sign-in with the force's identity provider over OpenID Connect (mozilla-django-oidc; ADR 0017).

The provider is found by discovery from OIDC_ISSUER. A sign-in is accepted only when the ID token says
a second factor was used (`amr` holds one of OIDC_MFA_AMR, or `acr` is one of OIDC_MFA_ACR) and one of
the person's groups (the OIDC_GROUPS_CLAIM claim) is in OIDC_GROUP_MAP, which gives the role and unit.
The account is created or updated to match at each sign-in, and the provider is asked again every
OIDC_RECHECK_SECONDS (refresh token, else userinfo): a person it no longer accepts is signed out and
the account disabled at their next request. Every sign-in, refusal, creation and change is audited.
"""

import time

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import audit
from accounts.choices import POLICE_ROLES, AuditAction, Role
from accounts.models import OIDCIdentity, Unit

# The session's record of an identity provider sign-in: the factor it attested and the tokens to
# ask the provider again with. Its presence is what lets MFARequiredMiddleware through (no TOTP here).
SESSION_KEY = "oidc"
DISCOVERY_SECONDS = 3600
_discovered: dict[str, tuple[float, dict]] = {}


class IdentityRefused(Exception):
    """The identity provider's person may not sign in (or stay signed in); `reason` is for the audit."""

    def __init__(self, reason: str, *, user=None):
        super().__init__(reason)
        self.reason, self.user = reason, user


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def discovery() -> dict:
    """The provider's metadata (endpoints and issuer), fetched when first needed and kept an hour."""
    url = settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
    fetched_at, metadata = _discovered.get(url, (None, {}))
    if fetched_at is None or time.monotonic() - fetched_at > DISCOVERY_SECONDS:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
        _discovered[url] = (time.monotonic(), metadata)
    return metadata


# --- Deciding who may sign in, as what -------------------------------------------------------------


def second_factor(claims: dict) -> str | None:
    """How the provider says the person proved a second factor, or None."""
    amr = claims.get("amr") or []
    amr = [amr] if isinstance(amr, str) else amr
    methods = [m for m in amr if m in settings.OIDC_MFA_AMR]
    if methods:
        return "amr=" + ",".join(methods)
    if claims.get("acr") and claims["acr"] in settings.OIDC_MFA_ACR:
        return f"acr={claims['acr']}"
    return None


def place_for(claims: dict) -> tuple[str, Unit]:
    """The role and unit of the first OIDC_GROUP_MAP entry whose group the person is in."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    groups = {groups} if isinstance(groups, str) else set(groups)
    for group, place in settings.OIDC_GROUP_MAP.items():
        if group not in groups:
            continue
        role, unit_code = place.get("role"), place.get("unit")
        if role not in POLICE_ROLES:
            raise IdentityRefused(f"OIDC_GROUP_MAP gives group {group} the role {role!r}, not a police role")
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise IdentityRefused(f"OIDC_GROUP_MAP gives group {group} the unit {unit_code!r}, which does not exist")
        return role, unit
    raise IdentityRefused("none of the person's groups is mapped to a role and unit (OIDC_GROUP_MAP)")


def _apply(user, claims: dict, role: str, unit: Unit) -> None:
    """Bring the account's name, e-mail, role and unit into line with the provider: a new account is
    created, an existing one saved only if something changed."""
    wanted = {
        "first_name": (claims.get("given_name") or "")[:150],
        "last_name": (claims.get("family_name") or "")[:150],
        "email": (claims.get("email") or "")[:254],
        "role": role,
        "unit_id": unit.pk,
        "is_staff": role == Role.REGISTRAR,  # registrars administer people and places in the admin
        "is_active": True,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if user.pk is None:
        user.save()  # audited (COLLECT) by signal
    elif changed:
        user.save(update_fields=[name.removesuffix("_id") for name in changed])  # audited (ALTER) by signal


def identity_sign_in(*, issuer: str, claims: dict):
    """The account for the provider's person, created or updated from the claims; IdentityRefused if none."""
    try:
        return _identity_sign_in(issuer=issuer, claims=claims)
    except IdentityRefused as refusal:
        who = claims.get("preferred_username") or claims.get("email") or ""
        refusal.reason = f"{refusal.reason} [subject {claims.get('sub')}{', ' + who if who else ''}]"
        raise


@transaction.atomic
def _identity_sign_in(*, issuer: str, claims: dict):
    subject = claims.get("sub")
    if not subject:
        raise IdentityRefused("the ID token has no subject")
    identity = OIDCIdentity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
    user = identity.user if identity else None
    if second_factor(claims) is None:
        raise IdentityRefused(f"no second factor in the ID token (amr={claims.get('amr')}, acr={claims.get('acr')})")
    role, unit = place_for(claims)
    User = get_user_model()
    if identity is None:
        username = (claims.get("preferred_username") or claims.get("email") or subject)[:150]
        if User.objects.filter(username__iexact=username).exists():
            raise IdentityRefused(f"the username {username} belongs to an account not linked to this provider")
        user = User(username=username)
        user.set_unusable_password()  # the provider's password, never ours
        _apply(user, claims, role, unit)
        identity = OIDCIdentity(user=user, issuer=issuer, subject=subject, signed_in_at=timezone.now())
    else:
        if not user.is_active and identity.disabled_upstream_at is None:
            raise IdentityRefused("the account is disabled in this service", user=user)
        _apply(user, claims, role, unit)
        identity.signed_in_at, identity.disabled_upstream_at = timezone.now(), None
    identity.save()
    return user


@transaction.atomic
def identity_recheck(*, user, claims: dict) -> None:
    """The provider answered again: role and unit follow its groups now; no mapped group → refused."""
    role, unit = place_for(claims)
    _apply(user, claims, role, unit)


@transaction.atomic
def identity_disable(*, user, reason: str) -> None:
    """The provider no longer accepts the person: the account is disabled until it vouches again."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    OIDCIdentity.objects.filter(user=user).update(disabled_upstream_at=timezone.now())
    audit.record(AuditAction.LOGIN_FAILED, obj=user, actor=user, detail=f"identity provider: {reason}")


def _refused(reason: str, user=None) -> None:
    audit.record(AuditAction.LOGIN_FAILED, obj=user, actor=user, detail=f"identity provider: {reason}")


def not_a_password_attempt(request, credentials) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): a refused identity provider sign-in guessed no password
    of ours, so it neither counts towards a lockout nor is stopped by one; the provider throttles its own
    sign-in page. Without this, a few refused people behind a station's one address locked out the rest."""
    return request is not None and request.path == reverse("oidc_authentication_callback")


# --- mozilla-django-oidc, configured --------------------------------------------------------------


class ForceIdentityBackend(OIDCAuthenticationBackend):
    """The authorization code flow of mozilla-django-oidc, with our checks and our account matching."""

    def __init__(self, *args, **kwargs):
        # Endpoints are looked up when a sign-in uses them, not here: the backend is built for every
        # password sign-in too, which must not depend on the provider being reachable.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: discovery()["token_endpoint"])
    OIDC_OP_USER_ENDPOINT = property(lambda self: discovery().get("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: discovery()["jwks_uri"])

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or request.path != reverse("oidc_authentication_callback"):
            return None  # a password sign-in: not ours
        try:
            return super().authenticate(request, **kwargs)
        except IdentityRefused as refusal:
            _refused(refusal.reason, refusal.user)
            request.oidc_refusal = refusal.reason
        except (requests.RequestException, SuspiciousOperation, KeyError, ValueError, IntegrityError) as error:
            # IntegrityError: the same person's first sign-in in two tabs at once; the other one won.
            _refused(f"the sign-in could not be completed ({type(error).__name__}: {error})"[:400])
            request.oidc_refusal = "error"
        return None

    def _verify_jws(self, payload, key):
        """The library checks the signature; we also hold the token to our client, the issuer and a lifetime."""
        if jwt.get_unverified_header(payload).get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("the ID token is not signed with OIDC_RP_SIGN_ALGO")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],
                leeway=60,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo claims under the ID token's: the second factor and groups are taken as signed."""
        if not settings.OIDC_USERINFO or not self.OIDC_OP_USER_ENDPOINT:
            return payload
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        return {**userinfo, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        user = identity_sign_in(issuer=discovery()["issuer"], claims=claims)
        user.oidc_session = {
            "factor": second_factor(claims),
            "access_token": access_token,
            "refresh_token": self._refresh_token,
            "checked_at": time.time(),
        }
        return user

    def get_token(self, payload):
        token_info = super().get_token(payload)
        self._refresh_token = token_info.get("refresh_token", "")
        return token_info

    def get_user(self, user_id):
        # As ModelBackend: a disabled account's session ends at its next request.
        return ModelBackend.get_user(self, user_id)


class SignInView(LoginView):
    """The sign-in page: the username and password form, and "Sign in with <provider>" when configured."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "identity_provider": settings.OIDC_PROVIDER_NAME if enabled() else ""
        }


class ForceSignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (state, nonce and PKCE by the library)."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)  # endpoint looked up in get()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not enabled():
            raise Http404("No identity provider is configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discovery()["authorization_endpoint"]
        except (requests.RequestException, KeyError, ValueError):
            messages.error(request, f"{settings.OIDC_PROVIDER_NAME} cannot be reached. Try again in a few minutes.")
            return HttpResponseRedirect(reverse("login"))
        return super().get(request)


class ForceSignInCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signs the account in, or says on the sign-in page why not."""

    def get(self, request):
        if not enabled():
            raise Http404("No identity provider is configured.")
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        self.request.session[SESSION_KEY] = self.user.oidc_session
        return response

    def login_failure(self):
        reason = getattr(self.request, "oidc_refusal", "")
        if self.request.GET.get("error"):
            _refused(f"the provider answered {self.request.GET['error']}"[:200])
        if reason and reason != "error":
            message = (
                f"{settings.OIDC_PROVIDER_NAME} signed you in, but this service cannot let you in: {_said(reason)} "
                "Contact your force’s service desk."
            )
        else:
            message = f"Signing in with {settings.OIDC_PROVIDER_NAME} did not work. Try again."
        messages.error(self.request, message)
        return HttpResponseRedirect(reverse("login"))


def _said(reason: str) -> str:
    """The refusal in the user's words (the audit keeps the technical reason)."""
    if reason.startswith("no second factor"):
        return "your sign-in did not use a second factor (such as the Authenticator app)."
    if "groups is mapped" in reason:
        return "your account is not in a group that gives a role in this service."
    if reason.startswith("the account is disabled"):
        return "your account here is disabled."
    if "not linked to this provider" in reason:
        return "an account of this service already has your username."
    return "your account could not be matched to a role and unit."


# --- Asking the provider again --------------------------------------------------------------------


def _ask_again(oidc: dict) -> tuple[dict | None, dict]:
    """The provider's current claims about the signed-in person (None: it no longer accepts them) and
    the session's new token record. Network failures and 5xx answers raise requests.RequestException."""
    backend = ForceIdentityBackend()
    if oidc.get("refresh_token"):
        response = requests.post(
            discovery()["token_endpoint"],
            data={
                "grant_type": "refresh_token",
                "refresh_token": oidc["refresh_token"],
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "client_secret": settings.OIDC_RP_CLIENT_SECRET,
            },
            timeout=settings.OIDC_TIMEOUT,
        )
        if response.status_code in (400, 401):  # invalid_grant: revoked, disabled or deleted upstream
            return None, oidc
        response.raise_for_status()
        tokens = response.json()
        claims = backend.get_payload_data(tokens["id_token"], backend.retrieve_matching_jwk(tokens["id_token"]))
        oidc = {
            **oidc,
            "access_token": tokens["access_token"],
            "refresh_token": tokens.get("refresh_token", oidc["refresh_token"]),
        }
        return claims, oidc
    if not settings.OIDC_USERINFO:
        raise requests.RequestException("no refresh token, and userinfo is off (OIDC_USERINFO)")
    response = requests.get(
        discovery()["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {oidc['access_token']}"},
        timeout=settings.OIDC_TIMEOUT,
    )
    if response.status_code in (401, 403):
        return None, oidc
    response.raise_for_status()
    return response.json(), oidc


class OIDCRecheckMiddleware:
    """Asks the provider again about a person signed in through it, every OIDC_RECHECK_SECONDS: a person
    it no longer accepts (or whose groups no longer give a role) is signed out at this request and the
    account disabled. If the provider cannot be reached the session ends too (fail closed), without
    disabling the account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        oidc = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if oidc and time.time() - oidc["checked_at"] >= settings.OIDC_RECHECK_SECONDS:
            refusal = self._recheck(request, oidc)
            if refusal:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"errors": {"detail": [refusal]}}, status=401)
                messages.error(request, refusal)
                return HttpResponseRedirect(f"{reverse('login')}?next={request.path}")
        return self.get_response(request)

    def _recheck(self, request, oidc: dict) -> str | None:
        user = request.user
        try:
            claims, oidc = _ask_again(oidc)
            if claims is None:
                raise IdentityRefused("the provider no longer accepts the person (refresh or userinfo refused)")
            if claims.get("sub") != user.oidc_identity.subject:
                raise IdentityRefused("the provider answered about another subject")
            if settings.OIDC_GROUPS_CLAIM in claims:
                identity_recheck(user=user, claims=claims)
        except IdentityRefused as refusal:
            identity_disable(user=user, reason=refusal.reason)
            return f"{settings.OIDC_PROVIDER_NAME} no longer lets you into this service. You have been signed out."
        except (requests.RequestException, SuspiciousOperation, KeyError, ValueError) as error:
            _refused(f"could not ask the provider again ({type(error).__name__}); session ended", user)
            return f"{settings.OIDC_PROVIDER_NAME} could not confirm your account. Sign in again."
        request.session[SESSION_KEY] = {**oidc, "checked_at": time.time()}
        return None
