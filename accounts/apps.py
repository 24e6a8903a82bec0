import time

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, roles and audit"

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed

        from accounts import audit
        from accounts.choices import AuditAction
        from accounts.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY
        from accounts.models import AccessConcern, CPSArea, Force, OIDCIdentity, SupportOrganisation, Unit, User

        audit.register(User, Force, Unit, CPSArea, SupportOrganisation, AccessConcern, OIDCIdentity)
        from accounts.models import ApiToken, EnrolmentCode

        audit.register(ApiToken, EnrolmentCode)

        def logged_in(sender, request, user, **kwargs):
            request.session[SESSION_STARTED_KEY] = request.session[SESSION_RENEWED_KEY] = time.time()
            via = "identity provider" if getattr(user, "backend", "").endswith("ForceIdentityBackend") else ""
            audit.record(AuditAction.LOGIN, obj=user, actor=user, detail=via)

        def logged_out(sender, request, user, **kwargs):
            if user is not None:
                audit.record(AuditAction.LOGOUT, obj=user, actor=user)

        def login_failed(sender, credentials, request=None, **kwargs):
            audit.record(AuditAction.LOGIN_FAILED, detail=f"username={credentials.get('username', '')}"[:500])

        user_logged_in.connect(logged_in, dispatch_uid="audit-login", weak=False)
        user_logged_out.connect(logged_out, dispatch_uid="audit-logout", weak=False)
        user_login_failed.connect(login_failed, dispatch_uid="audit-login-failed", weak=False)
