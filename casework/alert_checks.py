"""Checks on the course of conduct: the victim kept informed and referred for support, evidence secured in time."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from casework.alerts import Check
from casework.choices import AlertAudience, AlertKind, AlertSeverity, CaseStage, PartyRole
from casework.models import CaseParty, EvidenceTask, SupportReferral, VictimContact


def _open_case_parties(case_ids: Iterable[int] | None):
    parties = CaseParty.objects.filter(role=PartyRole.VICTIM).exclude(case__stage=CaseStage.FINALISED)
    return parties.filter(case_id__in=case_ids) if case_ids is not None else parties


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def victim_update_overdue(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """The latest contact with a victim set a next-update date (Victims' Code) that has passed."""
    latest_due = (
        VictimContact.objects.filter(case_id=OuterRef("case_id"), victim_id=OuterRef("person_id"))
        .order_by("-contacted_at", "-id")
        .values("next_update_due")[:1]
    )
    rows = (
        _open_case_parties(case_ids)
        .annotate(due=Subquery(latest_due))
        .filter(due__lt=timezone.localdate(now))
        .values_list("case_id", "person_id", "due")
    )
    found: dict[int, dict] = {}
    for case_id, person_id, due in rows:
        facts = found.setdefault(case_id, {"victims": [], "due_at": _start_of(due)})
        facts["victims"].append(person_id)
        facts["due_at"] = min(facts["due_at"], _start_of(due))
    return found


def victim_never_contacted(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """A victim added to the case has had no recorded contact within the configured hours."""
    cutoff = now - timedelta(hours=settings.VICTIM_FIRST_CONTACT_HOURS)
    contacted = VictimContact.objects.filter(case_id=OuterRef("case_id"), victim_id=OuterRef("person_id"))
    rows = (
        _open_case_parties(case_ids)
        .filter(added_at__lte=cutoff)
        .exclude(Exists(contacted))
        .values_list("case_id", "person_id", "added_at")
    )
    found: dict[int, dict] = {}
    for case_id, person_id, added_at in rows:
        due = added_at + timedelta(hours=settings.VICTIM_FIRST_CONTACT_HOURS)
        facts = found.setdefault(case_id, {"victims": [], "due_at": due})
        facts["victims"].append(person_id)
        facts["due_at"] = min(facts["due_at"], due)
    return found


def evidence_deadline(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """Evidence to secure (e.g. CCTV before it is overwritten) is due soon or overdue."""
    today = timezone.localdate(now)
    tasks = EvidenceTask.objects.filter(
        done_at__isnull=True, due_on__lte=today + timedelta(days=settings.EVIDENCE_WARNING_DAYS)
    ).exclude(case__stage=CaseStage.FINALISED)
    if case_ids is not None:
        tasks = tasks.filter(case_id__in=case_ids)
    by_case: dict[int, list] = defaultdict(list)
    for case_id, task_id, due_on in tasks.values_list("case_id", "id", "due_on"):
        by_case[case_id].append((due_on, task_id))
    return {
        case_id: {
            "tasks": [task_id for _, task_id in sorted(items)],
            "due_at": _start_of(min(items)[0]),
            "severity": AlertSeverity.URGENT if min(items)[0] < today else AlertSeverity.WARNING,
        }
        for case_id, items in by_case.items()
    }


def victim_not_referred(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """A victim has no referral to a support or specialist service recorded (nor one she declined) the
    configured days after the case was opened."""
    days = settings.VICTIM_REFERRAL_DUE_DAYS
    referred = SupportReferral.objects.filter(case_id=OuterRef("case_id"), victim_id=OuterRef("person_id"))
    rows = (
        _open_case_parties(case_ids)
        .filter(case__created_at__lte=now - timedelta(days=days))
        .exclude(Exists(referred))
        .values_list("case_id", "person_id", "case__created_at")
    )
    found: dict[int, dict] = {}
    for case_id, person_id, opened in rows:
        facts = found.setdefault(case_id, {"victims": [], "due_at": opened + timedelta(days=days)})
        facts["victims"].append(person_id)
    return found


CHECKS = [
    Check(AlertKind.VICTIM_UPDATE_OVERDUE, AlertSeverity.WARNING, AlertAudience.OIC, victim_update_overdue),
    Check(AlertKind.VICTIM_NEVER_CONTACTED, AlertSeverity.WARNING, AlertAudience.OIC, victim_never_contacted),
    Check(AlertKind.EVIDENCE_DEADLINE, AlertSeverity.WARNING, AlertAudience.OIC, evidence_deadline),
    Check(AlertKind.VICTIM_NOT_REFERRED, AlertSeverity.WARNING, AlertAudience.OIC, victim_not_referred),
]


def passed_on_not_reviewed(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """What an advocate passed on has waited longer than the configured hours for the officer to accept or
    decline it; resolved once every item is decided."""
    from casework.choices import PassedOnStatus
    from casework.models import PassedOnIncident

    hours = settings.PASSED_ON_REVIEW_HOURS
    waiting = PassedOnIncident.objects.filter(
        status=PassedOnStatus.AWAITING, passed_on_at__lte=now - timedelta(hours=hours)
    ).exclude(case__stage=CaseStage.FINALISED)
    if case_ids is not None:
        waiting = waiting.filter(case_id__in=case_ids)
    found: dict[int, dict] = {}
    for case_id, item_id, passed_on_at in waiting.order_by("passed_on_at", "pk").values_list(
        "case_id", "id", "passed_on_at"
    ):
        facts = found.setdefault(case_id, {"items": [], "due_at": passed_on_at + timedelta(hours=hours)})
        facts["items"].append(item_id)
    return found


CHECKS.append(Check(AlertKind.PASSED_ON_NOT_REVIEWED, AlertSeverity.WARNING, AlertAudience.OIC, passed_on_not_reviewed))


def looked_up_from_outside(now: datetime, case_ids: Iterable[int] | None) -> dict[int, dict]:
    """Someone who may not open the case found, linked or read one of its victims, and her officer has not
    yet checked it; resolved once he has."""
    from casework.models import OutsideLookup

    lookups = OutsideLookup.objects.filter(checked_at__isnull=True)
    if case_ids is not None:
        lookups = lookups.filter(case_id__in=case_ids)
    found: dict[int, dict] = {}
    for case_id, lookup_id in lookups.order_by("at", "pk").values_list("case_id", "id"):
        found.setdefault(case_id, {"lookups": []})["lookups"].append(lookup_id)
    return found


CHECKS.append(Check(AlertKind.LOOKED_UP_FROM_OUTSIDE, AlertSeverity.URGENT, AlertAudience.OIC, looked_up_from_outside))
