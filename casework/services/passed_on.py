"""The officer's review of what an advocate passed on: accepted, it becomes an incident on the course of
conduct (through `incident_record`, so it is on the timeline and counted); declined, the advocate sees
the reason. Either happens once. Also the reads of the review page and API (who may see which item)."""

from dataclasses import fields

from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework import choices as c
from casework.models import Case, Incident, PassedOnIncident
from casework.redaction import sealed_text_check
from casework.services.incidents import IncidentInput, incident_record
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from config.errors import InvalidInput, TransitionNotAllowed

# What the officer may adjust when accepting: the victim and "reported by the advocate" are fixed.
ADJUSTABLE = frozenset(f.name for f in fields(IncidentInput)) - {"victim_id", "reported_by"}


def passed_on_of(case: Case) -> models.QuerySet[PassedOnIncident]:
    """The case's passed-on incidents: those awaiting review first (oldest first), then the decided."""
    awaiting_first = models.Case(
        models.When(status=c.PassedOnStatus.AWAITING, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    return (
        PassedOnIncident.objects.filter(case=case)
        .select_related("victim", "passed_on_by__organisation", "decided_by", "incident")
        .annotate(awaiting_first=awaiting_first)
        .order_by("awaiting_first", "passed_on_at", "pk")
    )


def passed_on_access(user: User, item_id: int, action: policy.Action = policy.Action.VIEW_CASE) -> PassedOnIncident:
    """One passed-on incident of a case on which the user may take the action; 404 alike for missing and
    not yours."""
    item = PassedOnIncident.objects.filter(pk=item_id).select_related("victim").first()
    if item is None:
        raise Http404("No such passed-on incident.")
    item.case = policy.access_case(user, item.case_id, action)
    return item


def _decided_already(item: PassedOnIncident) -> TransitionNotAllowed:
    if item.status == c.PassedOnStatus.ACCEPTED:
        return TransitionNotAllowed("This incident was already accepted onto the course of conduct")
    return TransitionNotAllowed("This incident was already declined")


def _lock_awaiting(actor: User, item: PassedOnIncident) -> tuple[Case, PassedOnIncident]:
    case = Case.objects.select_related("unit__force").get(pk=item.case_id)
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    current = PassedOnIncident.objects.select_for_update().get(pk=item.pk)
    if current.status != c.PassedOnStatus.AWAITING:
        raise _decided_already(current)
    return case, current


def accept_defaults(item: PassedOnIncident) -> dict:
    """The incident as the advocate passed it on: when, how, how many, her account, for whom."""
    return {
        "occurred_at": item.occurred_at,
        "channel": item.channel,
        "count": item.count,
        "narrative": item.account,
        "reported_at": item.passed_on_at,
    }


@transaction.atomic
def passed_on_accept(*, actor: User, item: PassedOnIncident, **incident_fields) -> Incident:
    """Record the incident on the course of conduct, pre-filled from what the advocate passed on; the
    officer may adjust any incident field but the victim and who reported it."""
    case, current = _lock_awaiting(actor, item)
    unknown = sorted(set(incident_fields) - ADJUSTABLE)
    if unknown:
        raise InvalidInput(f"These cannot be set when accepting: {', '.join(unknown)}")
    values = accept_defaults(current) | incident_fields
    data = IncidentInput(victim_id=current.victim_id, reported_by=c.ReportedBy.ADVOCATE, **values)
    incident = incident_record(actor=actor, case=case, data=data)
    current.status = c.PassedOnStatus.ACCEPTED
    current.incident = incident
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "incident", "decided_by", "decided_at"])
    return incident


@transaction.atomic
def passed_on_decline(*, actor: User, item: PassedOnIncident, reason: str) -> PassedOnIncident:
    """Not added to the course of conduct, with the reason the advocate will read."""
    case, current = _lock_awaiting(actor, item)
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": "Say why it is not added: the advocate will see this"})
    sealed_text_check(case, {"reason": reason})
    current.status = c.PassedOnStatus.DECLINED
    current.decline_reason = reason
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return current
