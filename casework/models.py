import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import UserObjectPermissionBase

from accounts.models import Force, Unit
from casework import choices as c


class Case(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_in_charge", verbose_name="OIC"
    )
    stage = models.CharField(max_length=30, choices=c.CaseStage.choices, default=c.CaseStage.REPORTED)
    outcome_code = models.PositiveSmallIntegerField(choices=c.OutcomeCode.choices, null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    # Records management (MoPI): set when the case is finalised, moved on by each retain decision.
    retention_group = models.CharField(max_length=20, choices=c.RetentionGroup.choices, blank=True)
    retention_review_on = models.DateField(null=True, blank=True)
    # Flags: domestic abuse, vulnerable and repeat are derived by services from the people in the case.
    is_domestic_abuse = models.BooleanField(default=False)
    is_stalking = models.BooleanField(default=False)
    is_harassment = models.BooleanField(default=False)
    is_hate = models.BooleanField(default=False)
    is_vulnerable_victim = models.BooleanField(default=False)
    is_repeat_victim = models.BooleanField(default=False)
    is_repeat_suspect = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: a save based on an older version is refused, never silently applied.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        permissions = [
            ("view_handover", "May see the handover material of the case (CPS lawyer)"),
        ]
        indexes = [
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["officer", "-created_at"]),
            models.Index(fields=["retention_review_on"], condition=Q(stage="finalised"), name="retention_review_due"),
        ]
        constraints = [
            models.CheckConstraint(
                name="finalised_case_has_outcome",
                condition=~Q(stage=c.CaseStage.FINALISED) | Q(outcome_code__isnull=False),
            )
        ]

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

    def __str__(self) -> str:
        return f"{self.force} {self.year}: {self.last_number}"


class Person(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # "last first", lower-cased, accents and punctuation removed: the key the duplicate search uses.
    normalised_name = models.CharField(max_length=200, db_index=True)
    surname_key = models.CharField(max_length=100, help_text="the surname, normalised")
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_is_approximate = models.BooleanField(default=False)
    gender = models.CharField(max_length=20, choices=c.Gender.choices, default=c.Gender.NOT_KNOWN)
    vulnerabilities = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["surname_key", "date_of_birth"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "normalised_name"], name="alias_once_per_person")]

    def __str__(self) -> str:
        return self.name


class PersonIdentifier(models.Model):
    """A phone, e-mail, handle, vehicle or address; `normalised` is what searches match on."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=c.IdentifierKind.choices)
    value = models.CharField(max_length=300)
    normalised = models.CharField(max_length=300)
    platform = models.CharField(max_length=20, choices=c.Platform.choices, blank=True)
    is_current = models.BooleanField(default=True)
    # Sealed: she moved to escape him. Shown only to the OIC and supervisors, or to a user who states
    # a reason, and every viewing is audited (docs/adr/0002-sealed-victim-details.md).
    sealed = models.BooleanField(default=False)
    # A sealed detail belongs to the case it was recorded in and is read only through it, so linking her
    # into another case brings her identity, never her whereabouts (ADR 0007); erasing that case erases
    # it. Unsealed identifiers have no case: they are her identity across the force, found by searches.
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="sealed_details", verbose_name="sealed in"
    )

    class Meta:
        indexes = [models.Index(fields=["kind", "normalised"])]
        constraints = [
            # Each case records its own: a sealed address told to one case is not refused in another
            # (which would confirm it to whoever typed it there).
            models.UniqueConstraint(
                fields=["person", "kind", "normalised", "case"],
                condition=Q(case__isnull=False),
                name="identifier_once_per_person_and_case",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "normalised"],
                condition=Q(case__isnull=True),
                name="identifier_once_per_person_outside_cases",
            ),
            models.CheckConstraint(
                name="only_sealed_details_belong_to_a_case", condition=Q(sealed=True) | Q(case=None)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'(sealed)' if self.sealed else self.value}"


class CaseParty(models.Model):
    """A person's role in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=20, choices=c.PartyRole.choices)
    relationship_to_suspect = models.CharField(max_length=20, choices=c.Relationship.choices, blank=True)
    # Victims' Code: persistently targeted victims are entitled to enhanced services.
    victims_code_enhanced = models.BooleanField(default=False)
    update_every_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "case parties"
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="person_once_per_case"),
            models.CheckConstraint(
                name="relationship_only_for_victims",
                condition=Q(role=c.PartyRole.VICTIM) | Q(relationship_to_suspect=""),
            ),
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in case {self.case_id}"


class OutsideLookup(models.Model):
    """Someone who may not open this case found, linked or read one of its victims: the threat model's
    insider. Her officer in the case is alerted until he has checked it (casework/lookups.py)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outside_lookups")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=10, choices=c.LookupKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The case he linked or read her through (his own), when there is one.
    through_case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["case"], condition=Q(checked_at__isnull=True), name="unchecked_lookups")]

    def __str__(self) -> str:
        return f"{self.get_how_display()} ({self.case_id})"


class IncidentBatch(models.Model):
    """One batch or CSV import; its client key makes a retried request add nothing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incident_batches")
    client_key = models.CharField(max_length=100)
    source = models.CharField(max_length=20, default="batch")
    incident_count = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "client_key"], name="batch_key_once_per_case")]

    def __str__(self) -> str:
        return f"Batch {self.client_key} ({self.incident_count})"


class Incident(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    victim = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(help_text="When it happened, or the start of the range")
    occurred_until = models.DateTimeField(null=True, blank=True, help_text="End of the range when approximate")
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=20, choices=c.ReportedBy.choices, default=c.ReportedBy.VICTIM)
    report_method = models.CharField(max_length=20, choices=c.ReportMethod.choices, default=c.ReportMethod.IN_PERSON)
    channel = models.CharField(max_length=30, choices=c.Channel.choices)
    place = models.CharField(max_length=20, choices=c.Place.choices, blank=True)
    behaviours = models.JSONField(default=list, blank=True)
    threats = models.JSONField(default=list, blank=True)
    weapon = models.CharField(max_length=200, blank=True)
    injury = models.BooleanField(default=False)
    # The victim's fear and the effect on her life: PHA s.4/s.4A turn on these.
    victim_feared_violence = models.BooleanField(default=False)
    impacts = models.JSONField(default=list, blank=True)
    # Repeated contact logged as one line still counts as many: "43 texts" is count 43.
    count = models.PositiveIntegerField(default=1)
    narrative = models.TextField(blank=True)
    # Structured facts the escalation detector reads (risk/escalation.py): intrusion, circumstances,
    # and a new number, account or name he used (linked to the suspect's identifiers by the service).
    entry = models.CharField(max_length=10, choices=c.EntryKind.choices, blank=True)
    entry_place = models.CharField(max_length=10, choices=c.EntryPlace.choices, blank=True)
    circumstances = models.JSONField(default=list, blank=True)
    new_identity_kind = models.CharField(max_length=10, choices=c.NewIdentityKind.choices, blank=True)
    new_identity = models.CharField(max_length=300, blank=True)
    # Its number in the case (#1, #2, … in order of recording), given under the case's row lock.
    number = models.PositiveIntegerField()
    batch = models.ForeignKey(IncidentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["case", "occurred_at"])]
        constraints = [
            models.CheckConstraint(name="incident_count_positive", condition=Q(count__gte=1)),
            models.UniqueConstraint(fields=["case", "number"], name="incident_number_once_per_case"),
            models.CheckConstraint(
                name="incident_entry_has_place",
                condition=Q(entry="", entry_place="") | (~Q(entry="") & ~Q(entry_place="")),
            ),
            models.CheckConstraint(
                name="incident_new_identity_has_kind",
                condition=Q(new_identity="", new_identity_kind="") | (~Q(new_identity="") & ~Q(new_identity_kind="")),
            ),
            models.CheckConstraint(
                name="incident_range_ordered",
                condition=Q(occurred_until__isnull=True) | Q(occurred_until__gte=models.F("occurred_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ×{self.count}" if self.count > 1 else self.get_channel_display()


def evidence_path(instance, filename: str) -> str:
    # Server-chosen names only: the uploaded name is kept as data, never as a path.
    return f"evidence/{instance.case_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence")
    exhibit_reference = models.CharField(max_length=30)
    description = models.CharField(max_length=300)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["case", "exhibit_reference"], name="exhibit_reference_once_per_case")
        ]

    def __str__(self) -> str:
        return f"Exhibit {self.exhibit_reference}"


class EvidenceTask(models.Model):
    """Evidence to secure by a date, e.g. CCTV before the shop overwrites it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence_tasks")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["due_on"], condition=Q(done_at__isnull=True), name="open_evidence_task_due")]

    def __str__(self) -> str:
        return self.description


class VictimContact(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_contacts")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    contacted_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=c.ContactMethod.choices)
    summary = models.TextField()
    next_update_due = models.DateField(null=True, blank=True)
    contacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "-contacted_at"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()} contact on {self.contacted_at:%d %b %Y}"


class SupportReferral(models.Model):
    """A victim referred to (or declining) a support or specialist service. Referred to an organisation
    on this system with her consent to share, its advocates see her victim-safe view (accounts.policy,
    Scope.REFERRED) until the referral is ended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_referrals")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=30, choices=c.SupportService.choices)
    outcome = models.CharField(max_length=20, choices=c.ReferralOutcome.choices, default=c.ReferralOutcome.REFERRED)
    referred_on = models.DateField()
    note = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "accounts.SupportOrganisation", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    consent_to_share = models.BooleanField(default=False, help_text="she agreed to her details being shared")
    ended_on = models.DateField(null=True, blank=True, help_text="the service stopped working with her")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "victim"])]

    def __str__(self) -> str:
        return f"{self.get_service_display()}: {self.get_outcome_display().lower()} {self.referred_on:%d %b %Y}"


class SafetyPlanItem(models.Model):
    """One measure of a victim's safety plan, agreed by her advocate with her (journey 5, domain.md §10.3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_plan")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    risk = models.CharField(max_length=300, help_text="what it protects her from")
    measure = models.TextField()
    owner = models.CharField(max_length=200, blank=True, help_text="who does it: her, the advocate, the police")
    review_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "victim"])]

    def __str__(self) -> str:
        return f"Safety measure: {self.measure[:40]}"


class PassedOnIncident(models.Model):
    """Something the victim told her advocate, passed on for the officer to review: accepted, it becomes
    an incident on the course of conduct; declined, the advocate sees why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="passed_on_incidents")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    channel = models.CharField(max_length=30, choices=c.Channel.choices)
    count = models.PositiveIntegerField(default=1)
    account = models.TextField(help_text="what she said happened, in her words")
    passed_on_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    passed_on_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=c.PassedOnStatus.choices, default=c.PassedOnStatus.AWAITING)
    incident = models.OneToOneField(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="passed_on_by_advocate"
    )
    decline_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "status"])]
        constraints = [models.CheckConstraint(name="passed_on_count_positive", condition=Q(count__gte=1))]

    def __str__(self) -> str:
        return f"Passed on by an advocate: {self.get_channel_display()} {self.occurred_at:%d %b %Y}"


def document_path(instance, filename: str) -> str:
    return f"documents/{instance.case_id}/{uuid.uuid4().hex}.pdf"


class CaseDocument(models.Model):
    """A PDF generated for a case (an SPO application, later the charging pack), rendered by a worker
    (casework/documents.py) because WeasyPrint layout is too slow for a request."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    # What it was generated from, e.g. ("orders.protectiveorder", "12").
    source_type = models.CharField(max_length=100)
    source_id = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=c.DocumentStatus.choices, default=c.DocumentStatus.PENDING)
    file = models.FileField(upload_to=document_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # When its render reached the broker; empty while the broker was down or hung (a sweep queues it).
    queued_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["source_type", "source_id", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"


class TimelineEvent(models.Model):
    """One line of the course of conduct. Written only through casework.timeline.timeline_record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=c.TimelineKind.choices)
    summary = models.CharField(max_length=300)
    channel = models.CharField(max_length=30, choices=c.Channel.choices, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    count = models.PositiveIntegerField(default=1)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["case", "-occurred_at", "-id"], name="timeline_keyset"),
            models.Index(fields=["source_type", "source_id"], name="timeline_source"),
        ]

    def __str__(self) -> str:
        return self.summary


class Alert(models.Model):
    """Something someone must act on. Raised and resolved by the sweeps in casework/alerts.py from
    the state of the database, so a missed run loses nothing and a repeated run doubles nothing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=40, choices=c.AlertKind.choices)
    severity = models.CharField(max_length=10, choices=c.AlertSeverity.choices)
    audience = models.CharField(max_length=20, choices=c.AlertAudience.choices)
    # The facts that triggered it: references and dates only, never personal details.
    facts = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement = models.CharField(max_length=500, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    # Set when the e-mail about it was claimed for sending, so each alert is mailed once.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(resolved_at__isnull=True), name="one_open_alert_per_case_and_kind"
            )
        ]
        indexes = [models.Index(fields=["kind", "case"], condition=Q(resolved_at__isnull=True), name="open_alerts")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"


class AlertMail(models.Model):
    """The e-mail about one alert to one person who must act on it: written when the alert is claimed,
    claimed just before the message goes to the mail server and marked sent once the server took it
    (casework/notifications.py). A row claimed and never marked is never sent again: at most once."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="mails")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "recipient"], name="one_mail_per_alert_and_recipient")]
        indexes = [models.Index(fields=["recipient"], condition=Q(claimed_at__isnull=True), name="alert_mails_to_send")]

    def __str__(self) -> str:
        return f"alert {self.alert_id} to user {self.recipient_id}"


class RetentionDecision(models.Model):
    """A records-management review of a finalised case: retain (until the next review) or dispose. It
    outlives a disposed case, so the case is kept by reference as text; it holds no personal details."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="retention_decisions")
    case_reference = models.CharField(max_length=30)
    decision = models.CharField(max_length=10, choices=c.RetentionDecisionKind.choices)
    retention_group = models.CharField(max_length=20, choices=c.RetentionGroup.choices)
    reason = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["case_reference", "-decided_at"])]
        constraints = [
            models.CheckConstraint(
                name="retain_has_next_review",
                condition=~Q(decision="retain") | Q(next_review_on__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.case_reference} ({self.decided_at:%d %b %Y})"


class CaseSummary(models.Model):
    """What a page shows that derives from every incident of a case (the rhythm, the recording advice…),
    stored so that opening the case costs the same at 10 and at 10,000 incidents. `fingerprint` says which
    state of the incidents and parties it was worked out from; a stale one is worked out again
    (casework/summaries.py). Derived figures only, so it is not audited: the page reading it is."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="summaries")
    kind = models.CharField(max_length=30)
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="one_summary_per_case_and_kind")]

    def __str__(self) -> str:
        return f"{self.kind} of case {self.case_id}"
