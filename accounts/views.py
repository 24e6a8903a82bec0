from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit, policy
from accounts.forms import TokenForm


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
    if user.is_verified():
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
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
                otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", "The security code is wrong or has expired. Enter the latest code.")
    context = {"form": form, "next": _next_url(request)}
    if enrolling:
        context |= {"qr_svg": _qr_svg(device.config_url), "secret": _base32_secret(device)}
        return render(request, "accounts/mfa_setup.html", context)
    return render(request, "accounts/mfa_verify.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


HOME_CASES = 20


@login_required
def home(request):
    from casework.models import Case
    from casework.selectors import case_list_for_user

    user = request.user
    my_cases = list(case_list_for_user(user, mine=True, sort="updated")[:HOME_CASES])
    if my_cases:
        audit.consulted_many(Case, [case.pk for case in my_cases], detail="home page")
    context = {
        "my_cases": my_cases,
        "may_view_cases": policy.role_may(user, policy.Action.VIEW_CASE),
        "may_open_case": policy.role_may(user, policy.Action.EDIT_CASE),
    }
    return render(request, "home.html", context)


@login_required
def case_history(request, case_id: int):
    """The audit trail of one case, for supervisors and registrars."""
    case = policy.access_case(request.user, case_id, policy.Action.VIEW_CASE_HISTORY)
    entries = list(audit.history(case)[:500])
    audit.consulted(case, detail="audit history")
    return render(request, "accounts/case_history.html", {"case": case, "entries": entries})
