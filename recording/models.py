from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.models import Case, Person
from recording.choices import Classification, Offence


class CrimeRecord(models.Model):
    """A crime recorded in a case. The principal crime counts; secondary ones stay recorded and
    searchable, so stalking that is not the principal crime is never lost (domain.md §12.8)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="crime_records")
    crime_number = models.CharField(max_length=40, unique=True)
    classification = models.CharField(max_length=8, choices=Classification.choices)
    offence = models.CharField(max_length=30, choices=Offence.choices)
    is_principal = models.BooleanField(default=True)
    rationale = models.TextField()
    # The recorder kept a choice that a counting rule warned about: why (audited with the record).
    override_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(is_principal=True), name="one_principal_crime_per_case"
            ),
        ]
        indexes = [models.Index(fields=["classification", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.crime_number} {self.get_classification_display()}"


class Reclassification(models.Model):
    """History of a crime record's classification: old → new, who, why."""

    record = models.ForeignKey(CrimeRecord, on_delete=models.CASCADE, related_name="reclassifications")
    old_classification = models.CharField(max_length=8, choices=Classification.choices)
    new_classification = models.CharField(max_length=8, choices=Classification.choices)
    old_offence = models.CharField(max_length=30, choices=Offence.choices)
    new_offence = models.CharField(max_length=30, choices=Offence.choices)
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["changed_at"])]

    def __str__(self) -> str:
        return f"{self.old_classification} → {self.new_classification}"


class ReviewDecision(models.TextChoices):
    AGREE = "agree", "Agree with the recording"
    RECLASSIFY = "reclassify", "Reclassify"
    NOT_STALKING = "not_stalking", "Not stalking"


class RecordingReview(models.Model):
    """A registrar's or supervisor's decision on a case in the recording audit queue. The case
    returns to the queue only if new incidents make the stalking indication stronger than it was."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recording_reviews")
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    reason = models.TextField()
    indication_strength = models.PositiveSmallIntegerField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["case", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.case_id})"


class LegacyNoticeType(models.TextChoices):
    PIN = "pin", "Police Information Notice"
    HARASSMENT_WARNING = "harassment_warning", "Harassment warning"
    OTHER = "other", "Other warning"


class LegacyNoticeReview(models.TextChoices):
    NOT_NEEDED = "", "Dated before the cut-off"
    AWAITING = "awaiting", "Awaiting a registrar's review"
    ACCEPTED = "accepted", "Accepted as history by a registrar"
    REJECTED = "rejected", "Rejected by a registrar"


class LegacyWarningNotice(models.Model):
    """A PIN or harassment warning issued before this system, kept as history so a repeat pattern
    stays visible. The product has no workflow to issue one (they have no legal basis)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legacy_notices")
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    notice_type = models.CharField(max_length=20, choices=LegacyNoticeType.choices)
    issued_on = models.DateField()
    issuing_force = models.CharField(max_length=120)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Dated on or after the cut-off (settings.LEGACY_NOTICE_CUTOFF): recorded only with the reason, for a
    # registrar to accept as history or reject (ADR 0003).
    late_reason = models.TextField(blank=True)
    review = models.CharField(max_length=10, choices=LegacyNoticeReview.choices, default=LegacyNoticeReview.NOT_NEEDED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="legacy_notice_after_cutoff_has_reason",
                condition=Q(review=LegacyNoticeReview.NOT_NEEDED) | ~Q(late_reason=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_notice_type_display()} {self.issued_on:%d %b %Y}"
