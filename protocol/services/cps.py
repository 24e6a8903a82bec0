"""The prosecutor's side of a handover: the action plan (the lawyer raises an action, the police answer
it) and the charging decision.

Each write checks who may act and its preconditions, runs in one transaction, writes the case's timeline
(HANDOVER for the action plan, CHARGING for the decision) and refreshes the case's alerts after commit.
Only the lawyer a request was sent to raises actions and decides; only police who may change the case
answer. Which requests a user may see is protocol.selectors.handovers_for_user."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import TimelineKind
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import InvalidInput, TransitionNotAllowed
from protocol import choices as c
from protocol.models import ActionItem, Handover
from protocol.selectors import offence_labels


def _check_is_the_lawyer(actor: User, handover: Handover, doing: str) -> None:
    """Only the prosecutor the request was sent to, while they still hold the handover material."""
    if handover.lawyer_id != actor.pk or not policy.may(actor, policy.Action.VIEW_HANDOVER, handover.case):
        raise InvalidInput(f"Only the prosecutor this charging request was sent to may {doing}")


def _locked(handover: Handover) -> Handover:
    current = Handover.objects.select_for_update().get(pk=handover.pk)
    current.case = handover.case
    return current


@transaction.atomic
def action_raise(*, actor: User, handover: Handover, request: str, due_on: date | None) -> ActionItem:
    """The prosecutor asks the police for something (further evidence, a statement), by a date."""
    _check_is_the_lawyer(actor, handover, "raise an action")
    handover = _locked(handover)
    if handover.status == c.HandoverStatus.WITHDRAWN:
        raise TransitionNotAllowed("This charging request was withdrawn by the police; no action can be raised")
    request = request.strip()
    errors = {}
    if not request:
        errors["request"] = "Say what the police must do or supply"
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The due date must be today or later"
    if errors:
        raise InvalidInput(errors)
    item = ActionItem.objects.create(
        handover=handover, case=handover.case, request=request, due_on=due_on, raised_by=actor
    )
    timeline_record(
        case=handover.case,
        kind=TimelineKind.HANDOVER,
        occurred_at=timezone.now(),
        summary=f"CPS action raised (due {due_on:%-d %b %Y}): {request}",
        source=item,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, handover.case_id)
    return item


@transaction.atomic
def action_answer(*, actor: User, item: ActionItem, answer: str) -> ActionItem:
    """The police answer an action of the prosecutor's plan (once)."""
    if not policy.may(actor, policy.Action.EDIT_CASE, item.case):
        raise InvalidInput("Only the police of the case may answer the prosecutor's actions")
    case = item.case
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.case = case
    if item.answered_at is not None:
        raise TransitionNotAllowed("This action has already been answered")
    answer = answer.strip()
    if not answer:
        raise InvalidInput({"answer": "Say what was done or supplied"})
    item.answer = answer
    item.answered_by = actor
    item.answered_at = timezone.now()
    item.save(update_fields=["answer", "answered_by", "answered_at"])
    timeline_record(
        case=case,
        kind=TimelineKind.HANDOVER,
        occurred_at=item.answered_at,
        summary=f"CPS action answered: {item.request[:80]} – {answer}",
        source=item,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return item


@transaction.atomic
def handover_decide(
    *,
    actor: User,
    handover: Handover,
    decision: str,
    code_test: str,
    offences_charged: list[str],
    rationale: str,
) -> Handover:
    """The prosecutor's charging decision (MG3), once. A charge names the offences and the Code test
    applied; every decision gives its rationale."""
    _check_is_the_lawyer(actor, handover, "decide")
    handover = _locked(handover)
    if handover.status != c.HandoverStatus.AWAITING_DECISION:
        raise TransitionNotAllowed(
            f"This charging request is {handover.get_status_display().lower()}; it cannot be decided again"
        )
    rationale = rationale.strip()
    offences_charged = list(dict.fromkeys(offences_charged))
    errors = {}
    if decision not in c.Decision.values:
        errors["decision"] = "Choose the decision"
    if code_test and code_test not in c.CodeTest.values:
        errors["code_test"] = "Choose the Code test applied"
    if unknown := [o for o in offences_charged if o not in c.Offence.values]:
        errors["offences_charged"] = f"Unknown offences: {', '.join(unknown)}"
    elif decision == c.Decision.CHARGE:
        if not offences_charged:
            errors["offences_charged"] = "Choose the offences to be charged"
        if not code_test:
            errors["code_test"] = "Choose the Code test the charge meets"
    elif offences_charged:
        errors["offences_charged"] = "Offences are named only when the decision is to charge"
    if not rationale:
        errors["rationale"] = "Give the reasons for the decision"
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    handover.status = c.HandoverStatus.DECIDED
    handover.decision = decision
    handover.code_test = code_test
    handover.offences_charged = offences_charged
    handover.decision_rationale = rationale
    handover.decided_by = actor
    handover.decided_at = now
    handover.version += 1
    handover.save(
        update_fields=[
            "status", "decision", "code_test", "offences_charged", "decision_rationale", "decided_by",
            "decided_at", "version",
        ]
    )  # fmt: skip
    summary = f"CPS decision: {handover.get_decision_display()}"
    if offences_charged:
        summary += f" – {'; '.join(offence_labels(offences_charged))}"
    timeline_record(
        case=handover.case,
        kind=TimelineKind.CHARGING,
        occurred_at=now,
        summary=summary,
        source=handover,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, handover.case_id)
    return handover
