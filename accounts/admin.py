from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import AuditEntry, CPSArea, Force, SupportOrganisation, Unit, User


@admin.register(User)
class CaseworkUserAdmin(UserAdmin):
    list_display = ("username", "get_full_name", "role", "unit", "cps_area", "organisation", "is_active")
    list_filter = ("role", "is_active", "unit")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Role and place", {"fields": ("role", "unit", "cps_area", "organisation")}),
    )


@admin.register(Force, Unit, CPSArea, SupportOrganisation)
class PlaceAdmin(admin.ModelAdmin):
    search_fields = ("code", "name")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ("at", "actor_username", "action", "object_type", "object_id", "recipient", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
