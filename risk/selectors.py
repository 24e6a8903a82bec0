"""Reads for risk: the facts the escalation detector needs, the trajectory, the latest level."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from casework.choices import CaseStage, PartyRole
from casework.identifiers import InvalidIdentifier
from casework.models import Case, CaseParty, Incident
from casework.services.incidents import identity_key
from risk import escalation, providers, questionnaires
from risk.choices import AssessmentStatus
from risk.models import EscalationRules, EscalationSnapshot, RiskAssessment

DONE = [AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF]


def _fear_answers(assessment: RiskAssessment) -> int:
    impact_keys = {
        q.key
        for form in assessment.forms.all()
        for q in questionnaires.parse_form(form.definition).questions
        if q.victim_impact
    }
    return sum(1 for key, value in assessment.answers.items() if key in impact_keys and value.get("answer") == "yes")


INCIDENT_FIELDS = (
    "number", "occurred_at", "channel", "place", "behaviours", "threats", "weapon", "injury", "count",
    "victim_feared_violence", "impacts", "reported_at", "entry", "entry_place", "circumstances",
    "new_identity_kind", "new_identity",
)  # fmt: skip


def _identity(kind: str, value: str) -> str:
    if not kind:
        return ""
    try:
        return identity_key(kind, value)
    except InvalidIdentifier:  # recorded before the check: still a new identity, as typed
        return f"{kind}:{value.strip().casefold()}"


def _incident_facts(case: Case) -> tuple[escalation.IncidentFacts, ...]:
    """Rows, not model instances: a campaign of 10,000 incidents is read in a fraction of the time."""
    return tuple(
        escalation.IncidentFacts(
            number=row["number"],
            occurred_at=row["occurred_at"],
            channel=row["channel"],
            place=row["place"] or "",
            behaviours=frozenset(row["behaviours"] or ()),
            threats=frozenset(row["threats"] or ()),
            weapon=bool(row["weapon"]),
            injury=row["injury"],
            count=row["count"],
            victim_feared_violence=row["victim_feared_violence"],
            impacts=frozenset(row["impacts"] or ()),
            reported_at=row["reported_at"],
            entry=row["entry"],
            entry_place=row["entry_place"],
            circumstances=frozenset(row["circumstances"] or ()),
            identity=_identity(row["new_identity_kind"], row["new_identity"]),
        )
        for row in Incident.objects.filter(case=case).values(*INCIDENT_FIELDS)
    )


def _other_cases(case: Case, suspects: frozenset[int], victims: frozenset[int], since: datetime):
    """His other cases (any victim) and hers (any suspect), each marked shared when both are in it."""
    rows = list(
        CaseParty.objects.filter(
            Q(role=PartyRole.SUSPECT, person_id__in=suspects) | Q(role=PartyRole.VICTIM, person_id__in=victims)
        )
        .exclude(case=case)
        .values_list("case_id", "role", "case__created_at")
    )
    roles: dict[int, set[str]] = {}
    opened: dict[int, datetime] = {}
    for case_id, role, created_at in rows:
        roles.setdefault(case_id, set()).add(role)
        opened[case_id] = created_at
    hers = [case_id for case_id, r in roles.items() if PartyRole.VICTIM in r]
    reports = dict(
        Incident.objects.filter(case_id__in=hers, reported_at__gte=since)
        .filter(Q(victim_id__in=victims) | Q(victim__isnull=True))
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    both = {PartyRole.SUSPECT, PartyRole.VICTIM}
    his_cases = tuple(
        escalation.OtherCase(opened[cid], shared=r >= both) for cid, r in roles.items() if PartyRole.SUSPECT in r
    )
    her_cases = tuple(
        escalation.OtherCase(opened[cid], shared=roles[cid] >= both, reports_12m=reports.get(cid, 0)) for cid in hers
    )
    return his_cases, her_cases


def escalation_facts(case: Case, rules: escalation.Rules, now: datetime | None = None) -> escalation.TimelineFacts:
    """The case's whole history for the detector, in a number of queries that does not grow with it."""
    now = now or timezone.now()
    parties = list(CaseParty.objects.filter(case=case).values_list("person_id", "role"))
    suspects = frozenset(p for p, role in parties if role == PartyRole.SUSPECT)
    victims = frozenset(p for p, role in parties if role == PartyRole.VICTIM)
    incidents = _incident_facts(case)
    his_cases, her_cases = _other_cases(case, suspects, victims, now - timedelta(days=rules.t("state_days")))
    gathered = providers.gather(providers.CaseParties(case, suspects, victims, now))
    assessments = tuple(
        escalation.AssessmentFacts(
            completed_at=a.completed_at, yes_count=a.yes_count or 0, grade=a.grade, fear_answers=_fear_answers(a)
        )
        for a in case.risk_assessments.filter(status__in=DONE).prefetch_related("forms")
    )
    history = escalation.HistoryFacts(
        his_cases=his_cases,
        her_cases=her_cases,
        breaches_elsewhere=tuple(gathered.breaches_elsewhere),
        convictions=tuple(gathered.convictions),
        notices=tuple(gathered.notices),
        orders_elsewhere=tuple(gathered.orders_elsewhere),
    )
    return escalation.TimelineFacts(
        incidents=incidents,
        breaches=tuple(gathered.breaches),
        warnings_or_arrests=tuple(gathered.warnings_or_arrests),
        assessments=assessments,
        history=history,
        now=now,
    )


def related_open_cases(case: Case) -> list[Case]:
    """Other open cases in which this case's suspect is a suspect or its victim a victim."""
    people = CaseParty.objects.filter(case=case, role__in=[PartyRole.SUSPECT, PartyRole.VICTIM])
    linked = CaseParty.objects.filter(
        Q(role=PartyRole.SUSPECT, person_id__in=people.filter(role=PartyRole.SUSPECT).values("person_id"))
        | Q(role=PartyRole.VICTIM, person_id__in=people.filter(role=PartyRole.VICTIM).values("person_id"))
    ).values("case_id")
    return list(Case.objects.filter(pk__in=linked).exclude(pk=case.pk).exclude(stage=CaseStage.FINALISED))


def cases_time_may_change(rules: escalation.Rules, now: datetime):
    """Open cases whose level time alone can move: an incident within the longest window (the last 12
    months and a day), or a level above none to come down. Others wait for a change to refresh them."""
    since = now - timedelta(days=rules.t("state_days") + 1)
    latest = EscalationSnapshot.objects.filter(case_id=OuterRef("pk")).order_by("-computed_at", "-id")
    return (
        Case.objects.exclude(stage=CaseStage.FINALISED)
        .annotate(level_now=Subquery(latest.values("level")[:1]))
        .filter(
            Exists(Incident.objects.filter(case_id=OuterRef("pk"), occurred_at__gte=since))
            | (Q(level_now__isnull=False) & ~Q(level_now="none"))
        )
        .order_by("pk")
    )


def current_rules() -> escalation.Rules:
    """The newest loaded version of the escalation table (the migration loads the first)."""
    row = EscalationRules.objects.order_by("-id").first()  # the last loaded
    return escalation.parse_rules(row.rules) if row else escalation.builtin_rules()


def escalation_trajectory(case: Case) -> list[EscalationSnapshot]:
    """Every change of the case's escalation level or score, oldest first, rises and drops alike."""
    return list(case.escalation_snapshots.order_by("computed_at", "id"))


def latest_escalation(case: Case) -> EscalationSnapshot | None:
    return case.escalation_snapshots.order_by("-computed_at", "-id").first()


def risk_trajectory(case: Case) -> list[RiskAssessment]:
    """Every completed assessment of the case, oldest first: grade and score over time."""
    return list(case.risk_assessments.filter(status__in=DONE).select_related("victim").order_by("completed_at", "id"))


NOT_ASSESSED = "none"


def with_latest_risk(cases):
    """Cases annotated with their latest completed grade and their latest escalation level, from the
    stored state (risk/state.py): a join, so counting 100,000 open cases costs no subquery per case."""
    return cases.annotate(risk_grade=F("risk_state__grade"), escalation_level=F("risk_state__level"))


def escalation_changes(case: Case) -> list[tuple[EscalationSnapshot, str]]:
    """The trajectory of the level: each snapshot at which it changed, with the level before, oldest first."""
    changes, before = [], None
    for snapshot in escalation_trajectory(case):
        if snapshot.level != before:
            changes.append((snapshot, before or ""))
            before = snapshot.level
    return changes


def level_meaning(snapshot: EscalationSnapshot | None) -> str:
    """What the level means for the risk grade and the review date, in the rules' words."""
    return current_rules().level_meaning.get(snapshot.level, "") if snapshot else ""
