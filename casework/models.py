from django.conf import settings
from django.db import models
from guardian.models import UserObjectPermissionBase

from accounts.models import Force, Unit
from casework.choices import CaseStage


class Case(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_in_charge", verbose_name="OIC"
    )
    stage = models.CharField(max_length=30, choices=CaseStage.choices, default=CaseStage.REPORTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: a save based on an older version is refused, never silently applied.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        permissions = [
            ("view_handover", "May see the handover material of the case (CPS lawyer)"),
            ("view_victim_safe", "May see the victim-safe view of the case (advocate)"),
        ]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case grants (django-guardian, direct foreign key): CPS at handover, advocates at referral."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")


class CaseReferenceCounter(models.Model):
    """The last case number issued per force and year, for references like WMP-2026-000123."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force", "year"], name="one_counter_per_force_year")]
