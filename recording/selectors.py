"""Reads for recording: the live advice for a case, the audit queue, and the statistics."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts import policy
from accounts.policy import Action
from casework.choices import PartyRole
from casework.models import Case, CaseParty, Incident
from casework.summaries import case_summary
from recording.advice import Advice, CaseFacts, IncidentFacts, advise
from recording.choices import MALICIOUS_COMMUNICATIONS_OFFENCES, Classification, Offence
from recording.models import CrimeRecord, LegacyWarningNotice, Reclassification, RecordingReview
from risk.escalation import NoticeFacts
from risk.providers import CaseParties, Contribution

# Records that the audit queue looks behind: stalking is most often hidden under these.
QUEUE_OFFENCES = frozenset({Offence.PHA_S2, Offence.PHA_S4, *MALICIOUS_COMMUNICATIONS_OFFENCES})


def victim_relationship(case: Case) -> str:
    party = case.parties.filter(role=PartyRole.VICTIM).exclude(relationship_to_suspect="").first()
    return party.relationship_to_suspect if party else ""


def _principal_victim_id(case_id: int, parties: list[CaseParty]) -> int | None:
    victims = [p for p in parties if p.case_id == case_id and p.role == PartyRole.VICTIM]
    return victims[0].person_id if victims else None


def _advice_from(incidents: list, relationship: str, victim_id: int | None) -> Advice:
    # One crime per victim: advise on the principal victim's incidents (and those not yet tied to one).
    facts = tuple(IncidentFacts.from_incident(i) for i in incidents if i.victim_id in (None, victim_id))
    return advise(CaseFacts(relationship=relationship, incidents=facts))


def case_advice(case: Case) -> Advice:
    parties = list(case.parties.order_by("added_at", "id"))
    victim_id = _principal_victim_id(case.pk, parties)
    relationship = next((p.relationship_to_suspect for p in parties if p.person_id == victim_id), "")
    return _advice_from(list(Incident.objects.filter(case=case).order_by("occurred_at", "id")), relationship, victim_id)


ADVICE_SUMMARY = "advice"
CITED_INCIDENTS = 5  # a reason on the case page cites this many incidents by number, then "and N more"
CITED_REASONS = 12  # and a list of reasons this many (busy days can be hundreds), then how many more


def advice_summary(case: Case) -> dict:
    """The live advice as stored data for the case page (casework.summaries): each reason cites its first
    incidents by number (#n, with the id to link them) and how many more, with the timeline filter that
    shows them all (incidents, their dates, their channel when they share one)."""
    parties = list(case.parties.order_by("added_at", "id"))
    victim_id = _principal_victim_id(case.pk, parties)
    relationship = next((p.relationship_to_suspect for p in parties if p.person_id == victim_id), "")
    incidents = list(Incident.objects.filter(case=case).order_by("occurred_at", "id"))
    advice = _advice_from(incidents, relationship, victim_id)
    known = {i.id: i for i in incidents}

    def cites(ids: tuple[int, ...]) -> dict:
        ordered = sorted(ids, key=lambda i: known[i].number)
        shown = [[known[i].number, i] for i in ordered[:CITED_INCIDENTS]]
        more, query = len(ordered) - len(shown), ""
        if more:
            days = [timezone.localtime(known[i].occurred_at).date() for i in ordered]
            channels = {known[i].channel for i in ordered}
            filters = {"kind": "incident", "date_from": min(days).isoformat(), "date_to": max(days).isoformat()}
            query = urlencode(filters | ({"channel": channels.pop()} if len(channels) == 1 else {}))
        return {"cites": shown, "more": more, "query": query}

    def reasons(given) -> list[dict]:
        out = [{"text": r.text, **cites(r.incident_ids)} for r in given[:CITED_REASONS]]
        if len(given) > CITED_REASONS:
            out.append({"text": f"and {len(given) - CITED_REASONS} more like these", **cites(())})
        return out

    def marker(m) -> dict:
        return {"name": m.name, "present": m.present, "reasons": reasons(m.reasons)}

    return {
        "course_of_conduct": advice.course_of_conduct,
        "occasions": advice.occasions,
        "contacts": advice.contacts,
        "span_days": advice.span_days,
        "suggestions": [{"headline": s.headline, "reasons": reasons(s.reasons)} for s in advice.suggestions],
        "four": [marker(m) for m in advice.four],
        "behaviours": [{"name": name, **cites(ids)} for name, ids in advice.behaviours.items()],
        "s4a": marker(advice.s4a),
        "s4": marker(advice.s4),
        "stalking_suggested": advice.suggests(Classification.STALKING),
        "impacts": sorted({v for i in incidents for v in (i.impacts or ())}),
    }


def stored_advice(case: Case) -> dict:
    """`advice_summary` as stored, worked out again only when the incidents or parties changed."""
    return case_summary(case, ADVICE_SUMMARY)


def stalking_indication_strength(advice: Advice) -> int:
    """How strongly the conduct points to stalking: FOUR markers present plus s.2A(3) behaviours shown
    other than bare contacting, plus one if s.4A may apply."""
    markers = sum(1 for marker in advice.four if marker.present)
    behaviours = sum(1 for name, ids in advice.behaviours.items() if ids and name != "contacting")
    return markers + behaviours + (1 if advice.s4a.present else 0)


@dataclass(frozen=True)
class QueueEntry:
    case: Case
    record: CrimeRecord
    advice: Advice
    strength: int


def audit_queue(user) -> list[QueueEntry]:
    """Cases recorded as harassment or malicious communications whose incidents point to stalking,
    strongest indication first; a decided case returns only if the indication has grown since."""
    return queue_entries(Case.objects.filter(policy.cases_where(user, Action.RECORD_CRIME)))


def queue_entries(cases) -> list[QueueEntry]:
    """The audit queue over a set of cases, in a fixed number of queries however many there are."""
    records = list(
        CrimeRecord.objects.filter(is_principal=True, offence__in=QUEUE_OFFENCES, case__in=cases).select_related("case")
    )
    case_ids = [r.case_id for r in records]
    incidents: dict[int, list] = defaultdict(list)
    for incident in Incident.objects.filter(case_id__in=case_ids).order_by("occurred_at", "id"):
        incidents[incident.case_id].append(incident)
    parties = list(CaseParty.objects.filter(case_id__in=case_ids).order_by("added_at", "id"))
    last_strength: dict[int, int] = {}
    for case_id, strength in (
        RecordingReview.objects.filter(case_id__in=case_ids)
        .order_by("decided_at", "id")
        .values_list("case_id", "indication_strength")
    ):
        last_strength[case_id] = strength
    entries = []
    for record in records:
        victim_id = _principal_victim_id(record.case_id, parties)
        relationship = next(
            (p.relationship_to_suspect for p in parties if p.case_id == record.case_id and p.person_id == victim_id), ""
        )
        advice = _advice_from(incidents[record.case_id], relationship, victim_id)
        if not advice.suggests(Classification.STALKING):
            continue
        strength = stalking_indication_strength(advice)
        if record.case_id in last_strength and strength <= last_strength[record.case_id]:
            continue
        entries.append(QueueEntry(record.case, record, advice, strength))
    return sorted(entries, key=lambda e: (-e.strength, -e.case.is_domestic_abuse, e.record.recorded_at))


def audit_sample(user, *, size: int, seed: int, since: date) -> list[CrimeRecord]:
    """A reproducible random sample of recent harassment records for dip-checking."""
    ids = sorted(
        CrimeRecord.objects.filter(classification=Classification.HARASSMENT, recorded_at__date__gte=since)
        .filter(case__in=Case.objects.filter(policy.cases_where(user, Action.RECORD_CRIME)))
        .values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311 - sampling, not security
    return list(CrimeRecord.objects.filter(pk__in=chosen).select_related("case").order_by("recorded_at"))


@dataclass(frozen=True)
class MonthFigures:
    month: date
    harassment: int
    stalking: int
    reclassified: int
    reviewed: int

    @property
    def ratio(self) -> float | None:
        """Harassment records per stalking record (forces' ratios varied wildly in the inspection)."""
        return round(self.harassment / self.stalking, 2) if self.stalking else None


def statistics_units(user) -> list:
    """The units whose figures the user may see (their own, or the force's for a registrar)."""
    from accounts.models import Unit

    return list(
        Unit.objects.filter(cases__in=Case.objects.filter(policy.cases_where(user, Action.RECORD_CRIME)))
        .distinct()
        .order_by("name")
    )


def recording_statistics(user, *, since: date, unit: str = "") -> list[MonthFigures]:
    """Per month (and unit, when given): harassment and stalking records (secondary ones counted too,
    as the classification that is searchable), reclassifications and audit-queue decisions."""
    cases = Case.objects.filter(policy.cases_where(user, Action.RECORD_CRIME))
    if unit:
        cases = cases.filter(unit__code=unit)
    records = (
        CrimeRecord.objects.filter(case__in=cases, recorded_at__date__gte=since)
        .annotate(month=TruncMonth("recorded_at"))
        .values("month")
        .annotate(
            harassment=Count(
                "id", filter=Q(classification__in=[Classification.HARASSMENT, Classification.RA_HARASSMENT])
            ),
            stalking=Count("id", filter=Q(classification=Classification.STALKING)),
        )
    )
    reclassified = (
        Reclassification.objects.filter(record__case__in=cases, changed_at__date__gte=since)
        .annotate(month=TruncMonth("changed_at"))
        .values("month")
        .annotate(n=Count("id"))
    )
    reviewed = (
        RecordingReview.objects.filter(case__in=cases, decided_at__date__gte=since)
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(n=Count("id"))
    )
    months: dict[date, dict] = defaultdict(lambda: {"harassment": 0, "stalking": 0, "reclassified": 0, "reviewed": 0})
    for row in records:
        months[_as_date(row["month"])].update(harassment=row["harassment"], stalking=row["stalking"])
    for row in reclassified:
        months[_as_date(row["month"])]["reclassified"] = row["n"]
    for row in reviewed:
        months[_as_date(row["month"])]["reviewed"] = row["n"]
    return [MonthFigures(month, **figures) for month, figures in sorted(months.items())]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


@dataclass(frozen=True)
class MonthOutcomes:
    month: date
    counts: dict[int, int]  # Home Office outcome type → cases finalised with it


def outcome_statistics(user, *, since: date, unit: str = "") -> list[MonthOutcomes]:
    """Cases finalised per month by Home Office outcome type (type 0 "not yet assigned" never counts)."""
    cases = Case.objects.filter(policy.cases_where(user, Action.RECORD_CRIME), finalised_at__date__gte=since)
    if unit:
        cases = cases.filter(unit__code=unit)
    rows = (
        cases.exclude(outcome_code__isnull=True)
        .annotate(month=TruncMonth("finalised_at"))
        .values_list("month", "outcome_code")
        .annotate(n=Count("id"))
        .order_by("month", "outcome_code")
    )
    months: dict[date, dict[int, int]] = defaultdict(dict)
    for month, code, n in rows:
        months[_as_date(month)][code] = n
    return [MonthOutcomes(month, counts) for month, counts in sorted(months.items())]


def escalation_contribution(parties: CaseParties) -> Contribution:
    """What recording adds to the escalation detector (risk/providers.py): this case's legacy notices as
    warnings (contact after one is escalation), and every one given to its suspect, here or elsewhere,
    as his history."""
    tz = timezone.get_current_timezone()
    rows = list(
        LegacyWarningNotice.objects.filter(Q(case=parties.case) | Q(recipient_id__in=parties.suspect_ids)).values_list(
            "case_id", "recipient_id", "issued_on", "notice_type"
        )
    )
    return Contribution(
        warnings_or_arrests=[
            datetime.combine(issued_on, time.min, tz) for case_id, _, issued_on, _ in rows if case_id == parties.case.pk
        ],
        notices=[
            NoticeFacts(issued_on=issued_on, kind=kind)
            for _, recipient_id, issued_on, kind in rows
            if recipient_id in parties.suspect_ids
        ],
    )
