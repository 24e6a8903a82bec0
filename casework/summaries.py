"""Stored summaries of a case's incidents, so a page costs the same at 10 and at 10,000 incidents.

What a page shows that derives from every incident (the rhythm chart, the course of conduct, the
recording advice) is worked out by a builder an app registers (`register_summary(kind, build)`, in
`ready()`), stored as JSON in `CaseSummary` with the fingerprint of the state it was worked out from, and
read back by the page. The per-case refresher (`summaries_refresh`, run after every change to a case)
keeps them fresh; a page that finds one stale (or missing: a change whose refresh has not run yet)
works it out itself and stores it, so what it shows is never older than the incidents.

The fingerprint is two small queries: the incidents' count, highest id and sum of versions (every
edit adds one to an incident's version, every new one has a higher id) and the parties (the advice
reads the principal victim and her relationship to the suspect).
"""

import hashlib
from collections.abc import Callable

from django.db.models import Count, Max, Sum
from django.utils import timezone

from casework.models import Case, CaseParty, CaseSummary, Incident

_builders: dict[str, Callable[[Case], dict]] = {}


def register_summary(kind: str, build: Callable[[Case], dict]) -> None:
    """`build(case)` gives the summary as JSON-ready data; it may read every incident."""
    _builders[kind] = build


def fingerprint(case: Case) -> str:
    """The state of the case's incidents and parties, once per case object (a page reads several kinds)."""
    memo = case.__dict__.get("_summary_fingerprint")
    if memo is None:
        incidents = Incident.objects.filter(case_id=case.pk).aggregate(n=Count("id"), last=Max("id"), v=Sum("version"))
        parties = CaseParty.objects.filter(case_id=case.pk).order_by("id")
        people = parties.values_list("person_id", "role", "relationship_to_suspect")
        state = f"{incidents['n']}:{incidents['last'] or 0}:{incidents['v'] or 0}|{list(people)}"
        memo = hashlib.sha256(state.encode()).hexdigest()
        case.__dict__["_summary_fingerprint"] = memo
    return memo


def _store(case: Case, kind: str, mark: str) -> dict:
    data = _builders[kind](case)
    row = CaseSummary(case_id=case.pk, kind=kind, fingerprint=mark, data=data, computed_at=timezone.now())
    # An upsert: two requests working out the same summary at once both succeed, the last one stays.
    CaseSummary.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["case", "kind"],
        update_fields=["fingerprint", "data", "computed_at"],
    )
    return data


def case_summary(case: Case, kind: str) -> dict:
    """The stored summary of this kind, worked out again first if the incidents or parties changed."""
    mark = fingerprint(case)
    stored = case.__dict__.get("_summaries")
    if stored is None:  # every kind in one query: a page reads several
        rows = CaseSummary.objects.filter(case_id=case.pk).values_list("kind", "fingerprint", "data")
        stored = {k: (f, d) for k, f, d in rows}
        case.__dict__["_summaries"] = stored
    if kind in stored and stored[kind][0] == mark:
        return stored[kind][1]
    stored[kind] = (mark, _store(case, kind, mark))
    return stored[kind][1]


def summaries_refresh(case_id: int) -> None:
    """The refresher (casework.alerts.register_refresher): bring every stale summary of the case up to date."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return
    mark = fingerprint(case)
    fresh = set(CaseSummary.objects.filter(case_id=case_id, fingerprint=mark).values_list("kind", flat=True))
    for kind in _builders:
        if kind not in fresh:
            _store(case, kind, mark)
