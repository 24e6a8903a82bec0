"""The handover to the CPS: what the officer prepares for the file, each charging request sent to a
prosecutor, the prosecutor's action plan and decision. Rules live in protocol/services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.models import Case, CaseDocument
from protocol import choices as c


class HandoverPreparation(models.Model):
    """The parts of the file only the officer can write (MG5 summary, MG6 confidential background, the
    victim's statement and special measures). Everything else in the pack comes from the case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="handover_preparation")
    offences = models.JSONField(default=list, blank=True, help_text="protocol.choices.Offence values proposed")
    # MG5 (disclosed to the defence and the court)
    headline = models.TextField(blank=True, help_text="the case in one or two sentences")
    key_witnesses = models.TextField(blank=True, help_text="what the key witnesses say")
    interview_summary = models.TextField(blank=True, help_text="admissions, denials, defences raised")
    anticipated_plea = models.CharField(max_length=4, choices=c.AnticipatedPlea.choices, blank=True)
    compensation = models.TextField(blank=True)
    # The victim
    vps = models.CharField(max_length=20, choices=c.VpsStatus.choices, blank=True)
    vps_on = models.DateField(null=True, blank=True)
    vps_summary = models.TextField(blank=True, help_text="the effect on her, in her words")
    special_measures = models.CharField(max_length=20, choices=c.SpecialMeasures.choices, blank=True)
    special_measures_detail = models.TextField(blank=True)
    special_measures_on = models.DateField(null=True, blank=True, help_text="when they were assessed with her")
    # MG6 (confidential: never disclosed)
    witness_issues = models.TextField(blank=True)
    suspect_risk = models.TextField(blank=True, help_text="the risk the suspect poses, and how it is managed")
    confidential_notes = models.TextField(blank=True)
    spo_not_sought_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Handover preparation of {self.case}"


class Handover(models.Model):
    """One charging request (MG3) sent to one prosecutor, with the pack as it stood when sent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_received")
    priority = models.CharField(max_length=20, choices=c.Priority.choices)
    note = models.TextField(blank=True, help_text="the officer's request to the prosecutor")
    status = models.CharField(
        max_length=20, choices=c.HandoverStatus.choices, default=c.HandoverStatus.AWAITING_DECISION
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    pack = models.ForeignKey(CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Checklist items still missing when it was sent, and the supervisor's reason for sending anyway.
    missing_at_send = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    # The prosecutor's decision
    decision = models.CharField(max_length=30, choices=c.Decision.choices, blank=True)
    code_test = models.CharField(max_length=20, choices=c.CodeTest.choices, blank=True)
    offences_charged = models.JSONField(default=list, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["lawyer", "status", "-sent_at"])]

    def __str__(self) -> str:
        return f"Charging request {self.pk} for {self.case}"


class ActionItem(models.Model):
    """An item of the prosecutor's action plan: something the police must do or supply, by a date."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="action_items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cps_action_items")
    request = models.TextField()
    due_on = models.DateField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "answered_at", "due_on"])]

    def __str__(self) -> str:
        return f"CPS action {self.pk}: {self.request[:40]}"


class PleaDecision(models.Model):
    """The prosecutor's decision on a plea offered to a lesser offence after a charge. Accepting harassment
    where stalking was charged carries the senior prosecutor's approval and the victim's and the police's
    views (protocol §8 item 5); protocol.services.cps.plea_decide holds the rules, the constraints the
    part of them a row can state."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="plea_decisions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plea_decisions")
    offence_charged = models.CharField(max_length=30, choices=c.Offence.choices)
    offence_pleaded = models.CharField(max_length=30, choices=c.Offence.choices)
    accepted = models.BooleanField()
    rationale = models.TextField()
    approved_by = models.CharField(max_length=200, blank=True, help_text="the senior prosecutor who approved")
    victim_consulted_on = models.DateField(null=True, blank=True)
    victim_view = models.TextField(blank=True)
    police_consulted_on = models.DateField(null=True, blank=True)
    police_view = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="plea_decision_has_rationale"),
            models.CheckConstraint(
                condition=~Q(
                    accepted=True,
                    offence_charged__in=sorted(c.STALKING_OFFENCES),
                    offence_pleaded__in=sorted(c.HARASSMENT_OFFENCES),
                )
                | (
                    ~Q(approved_by="")
                    & Q(victim_consulted_on__isnull=False)
                    & ~Q(victim_view="")
                    & Q(police_consulted_on__isnull=False)
                    & ~Q(police_view="")
                ),
                name="plea_harassment_on_stalking_approved_and_consulted",
            ),
        ]

    def __str__(self) -> str:
        return f"Plea decision {self.pk} on charging request {self.handover_id}"

    @property
    def harassment_on_stalking(self) -> bool:
        return self.offence_charged in c.STALKING_OFFENCES and self.offence_pleaded in c.HARASSMENT_OFFENCES


class CaseDecision(models.Model):
    """A decision that moves the case on, recorded with the move (protocol.services.decisions): the charge
    (on the CPS's decision, or the police's where they may charge), no further action or an out-of-court
    disposal (with the reason, a supervisor's agreement where needed and the victim told), or the court's
    outcome (the victim told)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=20, choices=c.CaseDecisionKind.choices)
    basis = models.CharField(max_length=10, choices=c.ChargeBasis.choices, blank=True)
    handover = models.ForeignKey(Handover, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    offences = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    court_result = models.CharField(max_length=10, choices=c.CourtResult.choices, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="the supervisor who agreed (stalking or high-risk cases)",
    )  # fmt: skip
    victim_told_on = models.DateField(null=True, blank=True)
    victim_told_method = models.CharField(max_length=20, blank=True)
    right_to_review_explained = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["case", "-decided_at"])]
        constraints = [
            models.CheckConstraint(
                name="case_decision_charge_has_basis",
                condition=~Q(kind="charge")
                | Q(basis="cps", handover__isnull=False)
                | (Q(basis="police") & ~Q(reason="")),
            ),
            models.CheckConstraint(
                name="case_decision_without_charge_has_reason_and_victim_told",
                condition=~Q(kind__in=["no_further_action", "out_of_court"])
                | (~Q(reason="") & Q(victim_told_on__isnull=False)),
            ),
            models.CheckConstraint(
                name="case_decision_court_outcome_has_result_and_victim_told",
                condition=~Q(kind="court_outcome") | (~Q(court_result="") & Q(victim_told_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_at:%d %b %Y})"
