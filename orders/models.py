"""Protective orders, bail and the route to court, checkable conditions, breaches, the victim being
told, and PHA s.2B search warrants.

Every change goes through orders/services.py, which checks the lifecycle and writes the timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.choices import ContactMethod
from casework.models import Case, Evidence, Incident, Person
from orders import choices as c


class ProtectiveOrder(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="orders")
    order_type = models.CharField(max_length=30, choices=c.OrderType.choices)
    status = models.CharField(max_length=20, choices=c.OrderStatus.choices, default=c.OrderStatus.CONSIDERED)
    respondent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="orders_against")
    protected_people = models.ManyToManyField(Person, related_name="orders_protecting")
    # An interim SPO's full order, or the DVPO that follows a DVPN: the earlier order it follows.
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by")
    court = models.CharField(max_length=200, blank=True)
    applicant = models.CharField(max_length=200, blank=True, help_text="e.g. the chief officer, or the prosecutor")
    # SPO grounds (Stalking Protection Act 2019 s.1): acts, risk, necessity; used for any application.
    grounds_acts = models.TextField(blank=True)
    grounds_risk = models.TextField(blank=True)
    grounds_necessity = models.TextField(blank=True)
    not_pursued_reason = models.TextField(blank=True)
    applied_on = models.DateField(null=True, blank=True)
    hearing_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    refused_reason = models.TextField(blank=True)
    granted_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    duration_value = models.PositiveIntegerField(null=True, blank=True)
    duration_unit = models.CharField(max_length=10, choices=c.DurationUnit.choices, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True, help_text="Discharged or expired on")
    end_reason = models.TextField(blank=True)
    # Notification requirements (SPA 2019 s.9; DAPO): the respondent must give name and address.
    notification_due_on = models.DateField(null=True, blank=True)
    respondent_notified_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["expires_on"], condition=Q(expires_on__isnull=False), name="order_expiry"),
            models.Index(fields=["case", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="order_expiry_or_until_further_order",
                condition=Q(until_further_order=False) | Q(expires_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_order_type_display()} ({self.get_status_display().lower()})"

    @property
    def in_force_from(self):
        return self.served_on or self.granted_on


class SuspectRoute(models.Model):
    """How the suspect was dealt with on one occasion: arrest, voluntary interview, RUI, bail, charge,
    remand or postal requisition. Bail carries its period, authority, extensions and conditions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspect_routes")
    suspect = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=30, choices=c.Route.choices)
    occurred_on = models.DateField()
    bail_start = models.DateField(null=True, blank=True)
    bail_end = models.DateField(null=True, blank=True)
    bail_authority = models.CharField(max_length=20, choices=c.BailAuthority.choices, blank=True)
    bail_ended_on = models.DateField(null=True, blank=True)
    victim_views = models.TextField(blank=True, help_text="The victim's views on bail conditions (PCSC Act 2022)")
    # A route that leaves the victim without conditions in a risky case needs a reason and a supervisor.
    unprotected_reason = models.TextField(blank=True)
    needs_review = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["bail_end"], condition=Q(bail_ended_on__isnull=True), name="current_bail_end"),
            models.Index(
                fields=["case"], condition=Q(needs_review=True, reviewed_at__isnull=True), name="route_review"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="bail_period_ordered",
                condition=Q(bail_end__isnull=True)
                | Q(bail_start__isnull=True)
                | Q(bail_end__gte=models.F("bail_start")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} on {self.occurred_on:%d %b %Y}"

    @property
    def is_bail(self) -> bool:
        return self.route in c.BAIL_ROUTES


class BailExtension(models.Model):
    route = models.ForeignKey(SuspectRoute, on_delete=models.CASCADE, related_name="extensions")
    previous_end = models.DateField()
    new_end = models.DateField()
    authority = models.CharField(max_length=20, choices=c.BailAuthority.choices)
    authorised_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Bail extended to {self.new_end:%d %b %Y}"


class Condition(models.Model):
    """One condition of an order or of bail, in words and in a form the system can test against
    every new incident: protected people, forbidden channels, places in an exclusion zone, forbidden
    behaviours, and its own dates (else the order's or bail's)."""

    order = models.ForeignKey(
        ProtectiveOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="conditions"
    )
    bail = models.ForeignKey(SuspectRoute, null=True, blank=True, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(max_length=20, choices=c.ConditionKind.choices)
    wording = models.TextField()
    protected_people = models.ManyToManyField(Person, related_name="+")
    channels = models.JSONField(default=list, blank=True)  # casework Channel values
    zone_places = models.JSONField(default=list, blank=True)  # casework Place values inside the zone
    zone_address = models.CharField(max_length=300, blank=True)
    zone_radius_m = models.PositiveIntegerField(null=True, blank=True)
    zone_area = models.CharField(max_length=200, blank=True, help_text="a named area, e.g. 'Harborne ward'")
    behaviours = models.JSONField(default=list, blank=True)  # casework Behaviour values
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    rationale = models.TextField(help_text="Why this condition is needed")
    consultation = models.CharField(
        max_length=20, choices=c.ConsultationOutcome.choices, default=c.ConsultationOutcome.NOT_CONSULTED
    )
    consulted_on = models.DateField(null=True, blank=True)
    victim_view = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="condition_of_order_or_bail",
                condition=Q(order__isnull=False, bail__isnull=True) | Q(order__isnull=True, bail__isnull=False),
            ),
            models.CheckConstraint(
                name="condition_dates_ordered",
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.wording[:80]


class Breach(models.Model):
    """A breach of an order or of bail: an incident of the course of conduct, linked to what it breached."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="breaches")
    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="breach")
    order = models.ForeignKey(ProtectiveOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="breaches")
    bail = models.ForeignKey(SuspectRoute, null=True, blank=True, on_delete=models.PROTECT, related_name="breaches")
    condition = models.ForeignKey(Condition, null=True, blank=True, on_delete=models.PROTECT, related_name="breaches")
    substantive_decision = models.CharField(
        max_length=20, choices=c.SubstantiveDecision.choices, default=c.SubstantiveDecision.NOT_YET, blank=True
    )
    substantive_note = models.TextField(blank=True)
    substantive_decided_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "breaches"
        constraints = [
            models.CheckConstraint(
                name="breach_of_order_or_bail",
                condition=Q(order__isnull=False, bail__isnull=True) | Q(order__isnull=True, bail__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["case", "recorded_at"])]

    def __str__(self) -> str:
        return f"Breach of {self.order or self.bail}"


class BreachProposal(models.Model):
    """The system's suggestion that an incident breached a condition in force; the officer decides."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="breach_proposals")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="breach_proposals")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="proposals")
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=c.ProposalStatus.choices, default=c.ProposalStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    breach = models.ForeignKey(Breach, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "condition"], name="one_proposal_per_incident_and_condition")
        ]
        indexes = [models.Index(fields=["case"], condition=Q(status="proposed"), name="pending_breach_proposals")]

    def __str__(self) -> str:
        return f"Possible breach: {self.reason}"


class VictimNotice(models.Model):
    """The victim must be told when an order is granted, served, varied or discharged, or bail changes:
    one row per victim and event, due within a working day, closed when she is told."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_notices")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(ProtectiveOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    bail = models.ForeignKey(SuspectRoute, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(max_length=20, choices=c.NoticeEvent.choices)
    event_on = models.DateField()
    due_on = models.DateField()
    informed_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=ContactMethod.choices, blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What she was sent, as generated from the template at the time (kept: it may be disclosed).
    letter = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["due_on"], condition=Q(informed_at__isnull=True), name="victim_notice_due")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} on {self.event_on:%d %b %Y}"


class SearchWarrant(models.Model):
    """PHA 1997 s.2B: a warrant to enter and search for evidence of stalking (s.2A)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="search_warrants")
    status = models.CharField(max_length=20, choices=c.WarrantStatus.choices, default=c.WarrantStatus.APPLIED)
    premises = models.CharField(max_length=300)
    grounds = models.TextField()
    applied_on = models.DateField()
    court = models.CharField(max_length=200)
    decided_on = models.DateField(null=True, blank=True)
    refused_reason = models.TextField(blank=True)
    executed_on = models.DateField(null=True, blank=True)
    officers = models.CharField(max_length=300, blank=True)
    seized = models.TextField(blank=True)
    seized_evidence = models.ManyToManyField(Evidence, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"s.2B warrant applied {self.applied_on:%d %b %Y} ({self.get_status_display().lower()})"


class RestrainingOrderDecision(models.Model):
    """Whether a restraining order is sought, recorded at charge and again at conviction or acquittal: sought
    with the order and its conditions, or not sought with the reason (issue 13; orders.restraining_orders)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="restraining_order_decisions")
    moment = models.CharField(max_length=20, choices=c.RestrainingMoment.choices)
    sought = models.BooleanField()
    order = models.ForeignKey(ProtectiveOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True, help_text="Why no order is sought")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["case", "moment", "-decided_at"])]
        constraints = [
            models.CheckConstraint(
                name="restraining_decision_order_or_reason",
                condition=Q(sought=True, order__isnull=False) | (Q(sought=False, order__isnull=True) & ~Q(reason="")),
            )
        ]

    def __str__(self) -> str:
        return f"Restraining order {self.get_moment_display().lower()}: {'sought' if self.sought else 'not sought'}"
