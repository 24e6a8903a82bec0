from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import oidc, views, views_tokens

urlpatterns = [
    path("account/login/", oidc.SignInView.as_view(redirect_authenticated_user=True), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/mfa/", views.mfa, name="mfa"),
    # The force identity provider (accounts/oidc.py): the names are mozilla-django-oidc's own.
    path("account/oidc/sign-in/", oidc.ForceSignInView.as_view(), name="oidc_authentication_init"),
    path("account/oidc/callback/", oidc.ForceSignInCallbackView.as_view(), name="oidc_authentication_callback"),
    path("account/settings/", views.account_settings, name="account-settings"),
    # Not under /account/: only a session past the second factor reaches them.
    path("api-tokens/", views_tokens.api_tokens, name="api-tokens"),
    path("api-tokens/<int:token_id>/revoke/", views_tokens.api_token_revoke_view, name="api-token-revoke"),
    path("cases/<int:case_id>/history/", views.case_history, name="case-history"),
    # Repeated refused attempts, for the registrars of the user's force (not under /account/: MFA applies)
    path("access-concerns/", views.access_concerns, name="access-concerns"),
    path("access-concerns/<int:concern_id>/", views.access_concern, name="access-concern"),
]
