"""Reads that depend on who asks: each takes the user and narrows by the access policy."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case as Cases
from django.db.models import Count, Max, Min, Q, Sum, When
from django.utils import timezone

from accounts import audit, policy
from accounts.choices import AuditAction
from accounts.models import AuditEntry
from accounts.policy import Action
from casework.alerts import visible_alerts
from casework.choices import AlertSeverity, CaseStage, IdentifierKind, PartyRole
from casework.identifiers import InvalidIdentifier, normalise_identifier, normalise_name, normalise_surname
from casework.models import (
    Alert,
    Case,
    CaseParty,
    Incident,
    OutsideLookup,
    Person,
    PersonAlias,
    PersonIdentifier,
)
from casework.summaries import case_summary

CASE_SORTS = {"newest": "-created_at", "oldest": "created_at", "reference": "reference", "updated": "-updated_at"}


def case_list_for_user(
    user,
    *,
    mine: bool = False,
    stage: str = "",
    flag: str = "",
    search: str = "",
    sort: str = "newest",
    status: str = "",
    officer: str = "",
):
    cases = Case.objects.filter(policy.cases_where(user, Action.VIEW_CASE)).select_related("officer", "unit")
    if mine:
        cases = cases.filter(officer=user)
    if officer:
        cases = cases.filter(officer__username=officer)
    if status == "open":
        cases = cases.exclude(stage=CaseStage.FINALISED)
    elif status == "finalised":
        cases = cases.filter(stage=CaseStage.FINALISED)
    if stage:
        cases = cases.filter(stage=stage)
    if flag in {"is_domestic_abuse", "is_stalking", "is_harassment", "is_repeat_victim", "is_repeat_suspect"}:
        cases = cases.filter(**{flag: True})
    if search:
        cases = cases.filter(Q(reference__icontains=search) | Q(title__icontains=search))
    return cases.order_by(CASE_SORTS.get(sort, "-created_at"), "-id")


ALERT_STATES = ("open", "snoozed", "resolved", "all")


def alerts_for_user(
    user,
    *,
    kind: str | None = None,
    case: int | None = None,
    state: str = "open",
    mine: bool = False,
    overdue: bool = False,
    officer: str = "",
    audience: str = "",
    now: datetime | None = None,
):
    """Alerts on the cases the user may see. "open" means unresolved and not snoozed; "overdue"
    means unresolved and needing action now: a due time already passed, or urgent with no due time (such
    an alert is due at once, and was counted nowhere); `mine` means cases where the user is the OIC.
    Urgent alerts with no due time come first, then by due time."""
    now = now or timezone.now()
    alerts = Alert.objects.filter(case__in=Case.objects.filter(policy.cases_where(user, Action.VIEW_CASE)))
    if mine:
        alerts = alerts.filter(case__officer=user)
    if officer:
        alerts = alerts.filter(case__officer__username=officer)
    if kind:
        alerts = alerts.filter(kind=kind)
    if audience:
        alerts = alerts.filter(audience=audience)
    if case:
        alerts = alerts.filter(case_id=case)
    if state == "open":
        alerts = visible_alerts(alerts, now)
    elif state == "snoozed":
        alerts = alerts.filter(resolved_at__isnull=True, snoozed_until__gt=now)
    elif state == "resolved":
        alerts = alerts.filter(resolved_at__isnull=False)
    if overdue:
        alerts = alerts.filter(
            Q(due_at__lt=now) | Q(due_at__isnull=True, severity=AlertSeverity.URGENT), resolved_at__isnull=True
        )
    urgent_undated_first = Cases(When(due_at__isnull=True, severity=AlertSeverity.URGENT, then=0), default=1)
    return alerts.select_related("case", "acknowledged_by").order_by(urgent_undated_first, "due_at", "id")


def case_parties(case: Case) -> list[CaseParty]:
    return list(case.parties.select_related("person").order_by("role", "added_at"))


@dataclass(frozen=True)
class CourseOfConduct:
    """PHA s.7(3): conduct on at least two occasions in relation to the same person."""

    established: bool
    occasions: int
    contacts: int
    first: datetime | None
    last: datetime | None

    @property
    def span_days(self) -> int:
        return (self.last - self.first).days + 1 if self.first and self.last else 0

    @property
    def counted(self) -> str:
        return contacts_on_occasions(self.contacts, self.occasions)


def contacts_on_occasions(contacts: int, occasions: int) -> str:
    """The one way the service states a course of conduct's size: "60 contacts on 14 occasions", every
    incident's count summed (repeated contact logged once counts each time), each incident one occasion."""
    return f"{contacts} contact{'s' if contacts != 1 else ''} on {occasions} occasion{'s' if occasions != 1 else ''}"


def course_of_conduct(case: Case | int) -> CourseOfConduct:
    """The size of the course of conduct (case page, documents): counted here only, so that they agree."""
    per_victim = (
        Incident.objects.filter(case=case)
        .values("victim_id")
        .annotate(occasions=Count("id"), contacts=Sum("count"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("-occasions")
    )
    rows = list(per_victim)
    if not rows:
        return CourseOfConduct(False, 0, 0, None, None)
    established = any(r["occasions"] >= 2 for r in rows)
    return CourseOfConduct(
        established,
        occasions=sum(r["occasions"] for r in rows),
        contacts=sum(r["contacts"] for r in rows),
        first=min(r["first"] for r in rows),
        last=max(r["last"] for r in rows),
    )


@dataclass(frozen=True)
class WeekCount:
    week_start: date
    contacts: int


def incident_rhythm(case: Case) -> list[WeekCount]:
    """Contacts per week over the whole span (weeks with none included), so acceleration shows."""
    by_day = Incident.objects.filter(case=case).values_list("occurred_at", "count").order_by()
    weeks: dict[date, int] = {}
    for occurred_at, count in by_day.iterator(chunk_size=5000):
        day = timezone.localtime(occurred_at).date()
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + count
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    span = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return [WeekCount(week, weeks.get(week, 0)) for week in span]


@dataclass(frozen=True)
class OtherCases:
    visible: list[tuple[Case, str]]  # (case, role) the user may open
    hidden_count: int  # further cases the user may not open


def person_other_cases(user, person: Person, exclude_case: Case | None = None) -> OtherCases:
    parties = CaseParty.objects.filter(person=person).select_related("case__unit")
    if exclude_case is not None:
        parties = parties.exclude(case=exclude_case)
    visible_ids = set(
        Case.objects.filter(policy.cases_where(user, Action.VIEW_CASE), parties__person=person).values_list(
            "pk", flat=True
        )
    )
    visible, hidden = [], 0
    for party in parties.order_by("-case__created_at"):
        if party.case_id in visible_ids:
            visible.append((party.case, party.get_role_display()))
        else:
            hidden += 1
    return OtherCases(visible, hidden)


@dataclass(frozen=True)
class Elsewhere:
    """What a searcher learns of a person known only to cases he may not open: that she is known, and whom
    to ask; never her details."""

    cases: int
    contact_units: list[str]


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: int
    reasons: list[str]  # empty when the person is known only elsewhere
    known_to_you: bool  # in a case the searcher may open: shown as today
    elsewhere: Elsewhere

    @property
    def year_of_birth(self) -> int | None:
        return self.person.date_of_birth.year if self.person.date_of_birth else None


# Weights for the duplicate search: an identifier match is strong evidence, a name alone is weak.
WEIGHTS = {"identifier": 60, "name": 25, "alias": 20, "dob": 20}


def person_candidates(
    user,
    *,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    identifiers: list[tuple[str, str]] = (),
    limit: int = 10,
) -> list[Candidate]:
    """Existing people who may be the one being added, best first, each with the reasons.

    Repeats are found across the force, but a person the user knows from none of the cases he may open
    comes back as her name, year of birth and the units to contact; and a sealed identifier matches only
    for those who may read it in the case it was recorded in. Every lookup is an indexed equality match
    (normalised name, alias, identifier), so the search stays fast however many people are stored.
    """
    scores: dict[int, int] = {}
    reasons: dict[int, list[str]] = {}

    def add(person_ids, weight: int, reason: str) -> None:
        for pk in set(person_ids):
            scores[pk] = scores.get(pk, 0) + weight
            reasons.setdefault(pk, []).append(reason)

    name = normalise_name(first_name, last_name)
    if name:
        add(
            Person.objects.filter(normalised_name=name).values_list("pk", flat=True)[:200], WEIGHTS["name"], "same name"
        )
        add(
            PersonAlias.objects.filter(normalised_name=name).values_list("person_id", flat=True)[:200],
            WEIGHTS["alias"],
            "name matches an alias",
        )
    surname = normalise_surname(last_name)
    if surname and date_of_birth:
        add(
            Person.objects.filter(surname_key=surname, date_of_birth=date_of_birth).values_list("pk", flat=True)[:200],
            WEIGHTS["dob"],
            "same surname and date of birth",
        )
    elif date_of_birth and scores:
        add(
            Person.objects.filter(pk__in=list(scores), date_of_birth=date_of_birth).values_list("pk", flat=True),
            WEIGHTS["dob"],
            "same date of birth",
        )
    readable = Q(sealed=False) | Q(case__in=Case.objects.filter(policy.cases_where(user, Action.VIEW_SEALED_DETAILS)))
    for kind, value in identifiers:
        try:
            normalised = normalise_identifier(kind, value)
        except InvalidIdentifier:
            continue
        label = IdentifierKind(kind).label.lower()
        add(
            PersonIdentifier.objects.filter(readable, kind=kind, normalised=normalised).values_list(
                "person_id", flat=True
            )[:200],
            WEIGHTS["identifier"],
            f"same {label}",
        )
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    people = Person.objects.in_bulk(best)
    parties = CaseParty.objects.filter(person_id__in=best).values_list(
        "person_id", "case_id", "case__unit__name", "case__unit__force__name"
    )
    known_to_you = set(
        CaseParty.objects.filter(
            person_id__in=best, case__in=Case.objects.filter(policy.cases_where(user, Action.VIEW_CASE))
        ).values_list("person_id", flat=True)
    )
    elsewhere: dict[int, tuple[set, set]] = {pk: (set(), set()) for pk in best}
    for person_id, case_id, unit, force in parties:
        if person_id not in known_to_you:
            elsewhere[person_id][0].add(case_id)
            elsewhere[person_id][1].add(f"{unit}, {force}")
    return [
        Candidate(
            people[pk],
            scores[pk],
            reasons[pk] if pk in known_to_you else [],
            pk in known_to_you,
            Elsewhere(len(elsewhere[pk][0]), sorted(elsewhere[pk][1])),
        )
        for pk in best
        if pk in people
    ]


@dataclass(frozen=True)
class ContactDetail:
    identifier: PersonIdentifier
    shown: bool  # False: sealed and withheld from this user


def person_contact_details(user, person: Person, case: Case, *, reveal_reason: str = "") -> list[ContactDetail]:
    """A person's identifiers as seen from one case: her identity, and the sealed details recorded in this
    case (never another's, ADR 0007), withheld unless the user may see them.

    The OIC and the unit's supervisors see sealed details; another user of the unit sees them only
    after stating a reason, and that viewing is audited with the reason.
    """
    identifiers = list(person.identifiers.filter(Q(sealed=False) | Q(case=case)).order_by("kind", "id"))
    sealed = [i for i in identifiers if i.sealed]
    may_see = policy.may(user, Action.VIEW_SEALED_DETAILS, case)
    reveal = bool(sealed) and not may_see and bool(reveal_reason.strip())
    if reveal and not policy.may(user, Action.REVEAL_SEALED_DETAILS, case):
        reveal = False
    if sealed and (may_see or reveal):
        audit.consulted(
            person, detail=f"sealed details seen in {case.reference}: {reveal_reason.strip() or 'OIC/supervisor'}"
        )
    return [ContactDetail(i, shown=not i.sealed or may_see or reveal) for i in identifiers]


def victims_of(case: Case) -> list[CaseParty]:
    return [p for p in case_parties(case) if p.role == PartyRole.VICTIM]


def retention_queue(user, today: date | None = None):
    """Finalised cases whose retention review has come, oldest review first, that the user may review;
    a case finalised before review dates were kept has none and comes first."""
    from django.db.models import F

    today = today or timezone.localdate()
    return (
        Case.objects.filter(policy.cases_where(user, Action.REVIEW_RETENTION), stage=CaseStage.FINALISED)
        .filter(Q(retention_review_on__lte=today) | Q(retention_review_on__isnull=True))
        .select_related("unit")
        .order_by(F("retention_review_on").asc(nulls_first=True), "finalised_at", "id")
    )


@dataclass(frozen=True)
class Look:
    at: datetime
    who: str
    unit: str
    what: str
    why: str
    victim: Person
    outside: bool  # by someone who may not open this case


# What counts as looking at her record in the audit trail.
LOOKING = (AuditAction.CONSULT, AuditAction.COMBINE, AuditAction.DISCLOSE)


def who_has_looked(case: Case, *, limit: int = 100) -> list[Look]:
    """Everyone who has viewed this case's victims' records or their sealed details, and why, newest first,
    from the audit trail; those who may not open this case are marked. For her officer and supervisors."""
    victims = {p.person_id: p.person for p in victims_of(case)}
    entries = list(
        AuditEntry.objects.filter(
            object_type=audit.object_type_of(Person), object_id__in=[str(pk) for pk in victims], action__in=LOOKING
        )
        .select_related("actor__unit")
        .order_by("-at", "-id")[:limit]
    )
    actors = {e.actor for e in entries if e.actor is not None}
    insiders = {a.pk for a in actors if policy.may(a, Action.VIEW_CASE, case)}
    return [
        Look(
            at=e.at,
            who=(e.actor.get_full_name() or e.actor_username) if e.actor else "system",
            unit=str(e.actor.unit) if e.actor and e.actor.unit_id else "",
            what=e.get_action_display(),
            why=e.detail,
            victim=victims[int(e.object_id)],
            outside=e.actor_id is not None and e.actor_id not in insiders,
        )
        for e in entries
    ]


def outside_lookups_to_check(case: Case):
    return (
        OutsideLookup.objects.filter(case=case, checked_at__isnull=True)
        .select_related("by__unit", "person", "through_case")
        .order_by("-at", "-id")
    )


INCIDENTS_SUMMARY = "incidents"


def incidents_summary(case: Case) -> dict:
    """The course of conduct and the weekly rhythm as stored data (casework.summaries): reads every incident."""
    conduct = course_of_conduct(case)
    return {
        "conduct": [
            conduct.established,
            conduct.occasions,
            conduct.contacts or 0,
            conduct.first.isoformat() if conduct.first else None,
            conduct.last.isoformat() if conduct.last else None,
        ],
        "weeks": [[w.week_start.isoformat(), w.contacts] for w in incident_rhythm(case)],
    }


def stored_conduct(case: Case) -> tuple[CourseOfConduct, list[WeekCount]]:
    """The course of conduct and the rhythm from the stored summary, in a fixed number of queries."""
    data = case_summary(case, INCIDENTS_SUMMARY)
    established, occasions, contacts, first, last = data["conduct"]
    conduct = CourseOfConduct(
        established,
        occasions,
        contacts,
        datetime.fromisoformat(first) if first else None,
        datetime.fromisoformat(last) if last else None,
    )
    return conduct, [WeekCount(date.fromisoformat(week), n) for week, n in data["weeks"]]
