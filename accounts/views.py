from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit, oidc, policy
from accounts.choices import AlertEmail
from accounts.concerns import CONCERNS_SHOWN, concerns_for
from accounts.enrolment import enrolment_code_redeem, mfa_enrolled
from accounts.forms import TokenForm
from accounts.services import access_concern_acknowledge, user_alert_email_set
from casework.views.refusals import show_refusal
from config.errors import Refusal


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _qr_svg(uri: str) -> str:
    buffer = BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    svg = buffer.getvalue().decode()
    # The SVG is generated here from our own otpauth URI, never from user input.
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308


@login_required
@require_http_methods(["GET", "POST"])
def mfa(request):
    """The second factor: enrol a TOTP authenticator on first log-in, then verify a code every time."""
    user = request.user
    if user.is_verified() or request.session.get(oidc.SESSION_KEY):
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling and not request.session.get(ENROLMENT_ALLOWED_KEY):
        return _mfa_enrolment_code(request)
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    mfa_enrolled(user, device)
                otp_login(request, device)
            request.session.pop(ENROLMENT_ALLOWED_KEY, None)
            # A new session id at each privilege step: one seen before the second factor is worth nothing.
            request.session.cycle_key()
            return redirect(_next_url(request))
        form.add_error("token", "The security code is wrong or has expired. Enter the latest code.")
    context = {"form": form, "next": _next_url(request)}
    if enrolling:
        context |= {"qr_svg": _qr_svg(device.config_url), "secret": _base32_secret(device)}
        return render(request, "accounts/mfa_setup.html", context)
    return render(request, "accounts/mfa_verify.html", context)


ENROLMENT_ALLOWED_KEY = "mfa_enrolment_code_accepted"


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label="Enrolment code",
        help_text="The code your administrator gave you, for example ABCD-EFGH-JKLM",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _mfa_enrolment_code(request):
    """Before the authenticator secret is shown: the one-time code an administrator issued."""
    form = EnrolmentCodeForm(request.POST if "enrolment_code" in request.POST else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            if enrolment_code_redeem(user=request.user, code=form.cleaned_data["enrolment_code"]):
                request.session[ENROLMENT_ALLOWED_KEY] = True
                return redirect(f"{request.path}?next={_next_url(request)}")
            form.add_error("enrolment_code", "The enrolment code is wrong, used or expired. Ask your administrator.")
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/mfa_enrolment_code.html", context, status=status)


def _base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


HOME_CASES = 20


HOME_ALERTS = 10


@login_required
def home(request):
    """Your work: first the open alerts on your cases, then the cases themselves."""
    from django.utils import timezone

    from casework.models import Case
    from casework.selectors import alerts_for_user, case_list_for_user, retention_queue
    from casework.views.dashboard import may_see_dashboard

    user = request.user
    may_view_cases = policy.role_may(user, policy.Action.VIEW_CASE)
    if not may_view_cases:
        # A CPS lawyer's work is her charging requests; an advocate's, her referred victims.
        if policy.role_may(user, policy.Action.VIEW_HANDOVER):
            return redirect("protocol:cps-queue")
        if policy.role_may(user, policy.Action.VIEW_VICTIM_SAFE):
            return redirect("casework:care-list")
    now = timezone.now()
    my_alerts = alerts_for_user(user, mine=True, now=now) if may_view_cases else None
    alerts_shown = list(my_alerts[:HOME_ALERTS]) if my_alerts is not None else []
    my_cases = list(case_list_for_user(user, mine=True, sort="updated")[:HOME_CASES])
    shown_case_ids = {case.pk for case in my_cases} | {alert.case_id for alert in alerts_shown}
    if shown_case_ids:
        audit.consulted_many(Case, sorted(shown_case_ids), detail="home page")
    context = {
        "my_cases": my_cases,
        "my_alerts": alerts_shown,
        "my_alert_count": my_alerts.count() if alerts_shown else 0,
        "now": now,
        "may_view_cases": may_view_cases,
        "may_open_case": policy.role_may(user, policy.Action.EDIT_CASE),
        "may_see_dashboard": may_see_dashboard(user),
        "retention_due": (
            retention_queue(user).count() if policy.role_may(user, policy.Action.REVIEW_RETENTION) else None
        ),
    }
    return render(request, "home.html", context)


@login_required
def case_history(request, case_id: int):
    """The audit trail of one case, for supervisors and registrars."""
    case = policy.access_case(request.user, case_id, policy.Action.VIEW_CASE_HISTORY)
    entries = list(audit.history(case)[:500])
    audit.consulted(case, detail="audit history")
    return render(request, "accounts/case_history.html", {"case": case, "entries": entries})


class AlertEmailForm(forms.Form):
    # Kept beside its one view: accounts/forms.py holds the sign-in forms.
    alert_email = forms.ChoiceField(
        label="E-mails about new alerts",
        choices=AlertEmail.choices,
        widget=forms.RadioSelect,
        help_text="Alerts are always shown in the service; this is only about e-mail.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    """The signed-in user's own settings: how they hear of new alerts by e-mail."""
    form = AlertEmailForm(
        request.POST if request.method == "POST" else None, initial={"alert_email": request.user.alert_email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_alert_email_set(actor=request.user, alert_email=form.cleaned_data["alert_email"])
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("account-settings")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/settings.html", {"form": form}, status=status)


class AccessConcernAcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What you found or did",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: a mistyped case number, explained; or referred to professional standards.",
    )


@login_required
@require_GET
def access_concerns(request):
    """Repeated refused attempts by users of the registrar's force: open ones first."""
    from accounts.models import AccessConcern

    if not policy.role_may(request.user, policy.Action.REVIEW_ACCESS_CONCERNS):
        raise Http404("No such page.")
    concerns = list(concerns_for(request.user)[:CONCERNS_SHOWN])
    audit.consulted_many(AccessConcern, [c.pk for c in concerns], detail="access concerns")
    return render(request, "accounts/access_concerns.html", {"concerns": concerns})


@login_required
@require_http_methods(["GET", "POST"])
def access_concern(request, concern_id: int):
    """One concern: the refused requests, and the acknowledgement with a note."""
    concern = policy.access_concern(request.user, concern_id)
    form = AccessConcernAcknowledgeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                access_concern_acknowledge(actor=request.user, concern_id=concern.pk, note=form.cleaned_data["note"])
            except Refusal as exc:
                show_refusal(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "The concern is acknowledged.")
                return redirect("access-concerns")
    else:
        audit.consulted(concern, detail="access concern")
    return render(request, "accounts/access_concern.html", {"concern": concern, "form": form}, status=status)
