import time

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import logout
from django.db.models import Sum
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.choices import AuditAction
from accounts.oidc import SESSION_KEY as OIDC_SESSION_KEY

SESSION_STARTED_KEY = "session_started_at"
SESSION_RENEWED_KEY = "session_renewed_at"


def client_ip(request) -> str | None:
    """The client's address; X-Forwarded-For is believed only for the configured number of proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    """Attributes every audit row written during a request to its user and address, and audits every
    refused attempt: a 404 answered to a signed-in user on a route that exists (a record they may not
    see, or none). The row is written here, after the view and any transaction of its have ended, so
    it survives a view that rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.acting_as(request.user, client_ip(request)), audit.noting_refusals() as refusals:
            response = self.get_response(request)
            # request.user is read after the view: DRF's token authentication sets it there.
            if response.status_code == 404 and request.user.is_authenticated and request.resolver_match:
                object_type, object_id = refusals[-1] if refusals else ("", "")
                asked = " ".join(f"{k}={v}" for k, v in sorted(request.resolver_match.kwargs.items()))
                audit.refused(
                    actor=request.user,
                    method=request.method,
                    path=request.get_full_path()[:400],
                    object_type=object_type,
                    object_id=object_id,
                    asked=asked,
                )
            return response


class SessionLifetimeMiddleware:
    """Ends a session 12 hours (configurable) after log-in however active it was (ASVS 7.3.2), and after
    30 idle minutes.

    The idle limit is the session's expiry, which moves on each time the session is saved. Saving it on
    every request cost three round trips and a commit each time, so a request that changes nothing
    renews it only when the last renewal is SESSION_RENEW_SECONDS old: the session then ends between
    the idle limit less that and the idle limit after the last request, never later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - request.session.get(SESSION_RENEWED_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


# Paths a password-only session may reach: the MFA step itself, log-out, static files and health.
_MFA_EXEMPT_PREFIXES = ("/account/", "/static/", "/healthz")


class MFARequiredMiddleware:
    """With REQUIRE_MFA on, a session that has not passed the second factor reaches only the MFA step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_MFA
            and user.is_authenticated
            and not user.is_verified()
            and not request.session.get(OIDC_SESSION_KEY)  # the identity provider attested a second factor
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": {"detail": ["Two-factor authentication is required."]}}, status=403)
            return redirect(f"{reverse('mfa')}?next={request.path}")
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing this service answers may be kept by a browser or proxy cache: every page and API answer
    may carry personal data (static files are served before this, by WhiteNoise, and cached)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is refused with 400 before any view: PostgreSQL cannot
    store or compare it, so it would otherwise surface as a 500. (Form and API fields refuse it already.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values) for key, values in query):
            return HttpResponseBadRequest("A NUL character is not allowed in the address.", content_type="text/plain")
        return self.get_response(request)


class SignInThrottleMiddleware:
    """Password spraying: many usernames tried from one address. django-axes locks a username at an
    address (AXES_FAILURE_LIMIT); this refuses any password sign-in from an address once its failures
    within the cool-off, over all usernames, reach LOGIN_FAILURES_PER_ADDRESS. Counted from axes' own
    records of failed attempts, which a successful sign-in clears for that username only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("login") and self._throttled(request):
            audit.record(AuditAction.LOGIN_FAILED, detail="refused: too many failed sign-ins from this address")
            context = {"failure_limit": settings.LOGIN_FAILURES_PER_ADDRESS}
            return render(request, "registration/locked_out.html", context, status=429)
        return self.get_response(request)

    @staticmethod
    def _throttled(request) -> bool:
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        failures = AccessAttempt.objects.filter(ip_address=client_ip(request), attempt_time__gte=since).aggregate(
            n=Sum("failures_since_start")
        )["n"]
        return (failures or 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
