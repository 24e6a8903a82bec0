"""The Django admin, locked down: a registrar manages the police users of her own force (names, role,
unit, active or not), issues enrolment codes and revokes tokens; she never sees or sets superuser
status, permissions, passwords or authenticator secrets, and never mints a token. Superusers are made
only from the command line (createsuperuser). Every change is audited and shown in the user's history."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit, policy
from accounts.choices import POLICE_ROLES, Role
from accounts.enrolment import enrolment_code_issue
from accounts.models import AuditEntry, CPSArea, Force, SupportOrganisation, Unit, User
from accounts.services import staff_rights_sync
from accounts.tokens import api_token_revoke, live_tokens
from config.errors import Refusal

# django-otp's own admin shows each authenticator's secret key: nobody reads those.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

_PERSON = ("username", "first_name", "last_name", "email")


@admin.register(User)
class CaseworkUserAdmin(UserAdmin):
    list_display = ("username", "get_full_name", "role", "unit", "cps_area", "organisation", "is_active")
    list_filter = ("role", "is_active", "unit")
    readonly_fields = ("last_login", "date_joined", "is_superuser")
    actions = ["issue_enrolment_code", "revoke_api_tokens"]

    def _is_superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        places = ("unit", "cps_area", "organisation") if self._is_superuser(request) else ("unit",)
        if obj is None:
            return (
                (None, {"fields": ("username", "usable_password", "password1", "password2")}),
                ("Person", {"fields": ("first_name", "last_name", "email")}),
                ("Role and place", {"fields": ("role", *places)}),
            )
        return (
            (None, {"fields": _PERSON}),
            ("Role and place", {"fields": ("role", *places, "is_active")}),
            ("Dates", {"fields": ("last_login", "date_joined", "is_superuser")}),
        )

    def get_queryset(self, request):
        users = super().get_queryset(request).select_related("unit", "cps_area", "organisation")
        if self._is_superuser(request):
            return users
        return users.filter(policy.users_where(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not self._is_superuser(request):
            kwargs["queryset"] = policy.units_managed(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not self._is_superuser(request):
            kwargs["choices"] = [("", "---------"), *[(r.value, r.label) for r in Role if r in POLICE_ROLES]]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "role" in form.base_fields:
            form.base_fields["role"].required = True
        return form

    def has_module_permission(self, request):
        return self._is_superuser(request) or policy.role_may(request.user, policy.Action.MANAGE_USERS)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or self._may_manage(request, obj))

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # people are disabled, never deleted: the audit log names them

    def _may_manage(self, request, obj) -> bool:
        if self._is_superuser(request):
            return True
        return User.objects.filter(policy.users_where(request.user), pk=obj.pk).exists()

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not self._is_superuser(request) and (
            obj.is_superuser or obj.role not in POLICE_ROLES or obj.unit.force_id != request.user.unit.force_id
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        staff_rights_sync(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and (obj := self.get_object(request, object_id)) is not None:
            audit.consulted(obj, detail="user administration")
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets another person's password here: they set their own, or the operator runs
        # `manage.py changepassword` on the server.
        raise PermissionDenied

    def history_view(self, request, object_id, extra_context=None):
        """Every audited change to the person: role, unit, tokens, authenticator, sign-ins."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        entries = list(audit.history(obj)[:500])
        audit.consulted(obj, detail="user history")
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of {obj.get_username()}",
            "person": obj,
            "entries": entries,
            "opts": self.opts,
            "tokens": list(obj.api_tokens.order_by("-issued_at")),
        }
        return render(request, "admin/accounts/user/audit_history.html", context)

    @admin.action(description="Issue an enrolment code (removes their authenticator)")
    def issue_enrolment_code(self, request, queryset):
        issued = []
        for user in queryset:  # get_queryset's: only people the administrator manages
            try:
                enrolment, code = enrolment_code_issue(actor=request.user, user=user)
            except Refusal as exc:
                self.message_user(request, f"{user.get_username()}: {exc.message}", messages.ERROR)
                continue
            issued.append((user, code, enrolment.expires_at))
        if not issued:
            return None
        # Shown once, on this page only: never kept in a message in the session.
        context = {**self.admin_site.each_context(request), "title": "Enrolment codes", "issued": issued}
        return render(request, "admin/accounts/user/enrolment_codes.html", context)

    @admin.action(description="Revoke their API tokens")
    def revoke_api_tokens(self, request, queryset):
        revoked = 0
        for user in queryset:
            for token in live_tokens(user):
                api_token_revoke(actor=request.user, token_id=token.pk, own_only=False)
                revoked += 1
        self.message_user(request, f"{revoked} token(s) revoked at {timezone.localtime():%H:%M}.")


class PlaceAdmin(admin.ModelAdmin):
    """Forces, units, CPS areas and organisations: changed by superusers; registrars may look."""

    search_fields = ("code", "name")

    def has_module_permission(self, request):
        return request.user.is_active and (
            request.user.is_superuser or policy.role_may(request.user, policy.Action.MANAGE_USERS)
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request)


admin.site.register([Force, Unit, CPSArea, SupportOrganisation], PlaceAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ("at", "actor_username", "action", "object_type", "object_id", "recipient", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_id")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
