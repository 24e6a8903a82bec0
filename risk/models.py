from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.models import Case, Person
from risk.choices import AssessmentStatus, EscalationLevel, Grade, PlanActionStatus


class RiskForm(models.Model):
    """One version of a questionnaire (DASH, the stalking questions, S-DASH), stored as data.

    A force loads its licensed wording as a new version; an assessment keeps the versions it used."""

    key = models.SlugField(max_length=40)
    version = models.CharField(max_length=40)
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="risk_form_version_once")]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class RiskAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    forms = models.ManyToManyField(RiskForm, related_name="assessments")
    # {question key: {"answer": "yes" | "no" | "not_known" | "declined", "details": "..."}}
    answers = models.JSONField(default=dict, blank=True)
    yes_count = models.PositiveSmallIntegerField(null=True, blank=True)
    actuarial_grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    judgement_grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    judgement_rationale = models.TextField(blank=True)
    grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    police_callouts_12m = models.PositiveSmallIntegerField(default=0)
    marac_criteria = models.JSONField(default=list, blank=True)
    marac_referral_required = models.BooleanField(default=False)
    children_at_risk = models.TextField(blank=True, help_text="Children and dependants, and how they are at risk")
    # The plan every completed assessment has, whatever its grade (scoring.plan_errors).
    safety_advice = models.TextField(blank=True, help_text="The safety advice given to the victim")
    contact_arrangement = models.TextField(blank=True, help_text="How and when she agreed to be contacted")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    # When a new incident or a rise in escalation brought the review forward: due at this moment, a number of
    # working hours later (RISK_REVIEW_BROUGHT_FORWARD_WORKING_HOURS), rather than at the start of a day.
    review_due_at = models.DateTimeField(null=True, blank=True)
    # The case's escalation level when the assessment was completed: a later rise calls for a review.
    escalation_level = models.CharField(max_length=10, choices=EscalationLevel.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["case", "-completed_at"])]
        constraints = [
            models.CheckConstraint(
                name="completed_assessment_has_grade",
                condition=Q(status=AssessmentStatus.DRAFT) | ~Q(grade=""),
            )
        ]

    def __str__(self) -> str:
        return f"Risk assessment {self.pk} ({self.get_status_display()})"


class RiskPlanAction(models.Model):
    """One action of the risk management plan, tied to the risk it answers."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="plan_actions")
    risk = models.CharField(max_length=300, help_text="The risk found (a question or factor) this action answers")
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=PlanActionStatus.choices, default=PlanActionStatus.OPEN)

    def __str__(self) -> str:
        return self.action[:60]


class EscalationRules(models.Model):
    """One version of the escalation detector's table: level thresholds, weights, windows and floors
    (risk/escalation_rules/). The newest loaded is used; versions never change, and each snapshot keeps
    the version it was worked out with."""

    version = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    rules = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Escalation rules {self.version}"


class EscalationSnapshot(models.Model):
    """The escalation detector's result for a case, kept each time it changes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalation_snapshots")
    level = models.CharField(max_length=10, choices=EscalationLevel.choices)
    score = models.PositiveIntegerField()
    reasons = models.JSONField(default=list)
    # [{"name", "title", "weight", "meaning", "reasons": [...]}], heaviest first: the case page's panel.
    signals = models.JSONField(default=list)
    rules_version = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField()
    # Set while the level stands lower than it was (carried to later snapshots at the same level), so
    # the drop asks for one review however often the score moves after it.
    fell_from = models.CharField(max_length=10, choices=EscalationLevel.choices, blank=True)
    fell_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.score})"


class CaseRiskState(models.Model):
    """Each case's latest completed grade and latest escalation level, worked out again whenever an
    assessment or a snapshot of the case is saved or deleted (risk/state.py), so the dashboard counts
    open cases by a join instead of two subqueries per case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="risk_state")
    grade = models.CharField(max_length=10, choices=Grade.choices, null=True)  # null: not assessed
    level = models.CharField(max_length=10, choices=EscalationLevel.choices, null=True)  # null: not yet worked out

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.grade or 'not assessed'}, {self.level or 'no level'}"
