"""Your API tokens: issue one to yourself (after two-factor sign-in), see them, revoke them."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit, oidc
from accounts.models import ApiToken, ApiTokenScope
from accounts.tokens import NAME_MAX, api_token_issue, api_token_revoke
from casework.views.refusals import show_refusal
from config.errors import Refusal


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What the token is for", max_length=NAME_MAX, help_text="For example: force intelligence export"
    )
    scope = forms.ChoiceField(label="What it may do", choices=ApiTokenScope.choices, widget=forms.RadioSelect)


def second_factor_passed(request) -> bool:
    """The session passed a second factor here (TOTP) or at the force's identity provider."""
    return request.user.is_verified() or bool(request.session.get(oidc.SESSION_KEY))


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The key of a new token is shown on this response only; only its hash is kept."""
    form = ApiTokenForm(request.POST or None)
    status, key = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _, key = api_token_issue(
                    actor=request.user,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    after_mfa=second_factor_passed(request),
                )
            except Refusal as exc:
                show_refusal(form, exc)
                status = exc.status_code
            else:
                status, form = 200, ApiTokenForm()
    tokens = list(ApiToken.objects.filter(user=request.user).order_by("-issued_at"))
    audit.consulted_many(ApiToken, [t.pk for t in tokens], detail="own API tokens")
    context = {"form": form, "tokens": tokens, "key": key, "days": settings.API_TOKEN_DAYS}
    return render(request, "accounts/api_tokens.html", context, status=status)


@login_required
@require_POST
def api_token_revoke_view(request, token_id: int):
    try:
        token = api_token_revoke(actor=request.user, token_id=token_id)
    except Refusal as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The token '{token.name}' is revoked.")
    return redirect("api-tokens")
