"""The prosecutor's side of a handover: the action plan (the lawyer raises an action, the police answer
it), the charging decision and, after a charge, decisions on pleas offered to lesser offences.

Each write checks who may act and its preconditions, runs in one transaction, writes the case's timeline
(HANDOVER for the action plan, CHARGING for the decision and the pleas) and refreshes the case's alerts
after commit. Only the lawyer a request was sent to raises actions, decides and records plea decisions;
only police who may change the case answer. Which requests a user may see is
protocol.selectors.handovers_for_user."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import TimelineKind
from casework.redaction import sealed_text_check, sealed_text_errors
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import InvalidInput, TransitionNotAllowed
from protocol import choices as c
from protocol.models import ActionItem, Handover, PleaDecision
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
    errors = sealed_text_errors(handover.case, {"request": request}) | errors
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
    sealed_text_check(case, {"answer": answer})
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
    errors = sealed_text_errors(handover.case, {"rationale": rationale}) | errors
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


def _plea_consultation_errors(
    *,
    approved_by: str,
    victim_consulted_on: date | None,
    victim_view: str,
    police_consulted_on: date | None,
    police_view: str,
) -> dict[str, str]:
    """What accepting a plea to harassment on a stalking charge needs beyond a rationale (protocol §8
    item 5): a senior prosecutor's approval, and the victim and the police consulted, with their views."""
    errors = {}
    if not approved_by:
        errors["approved_by"] = "Name the senior prosecutor who approved accepting harassment on a stalking charge"
    if victim_consulted_on is None:
        errors["victim_consulted_on"] = "Enter the date the victim was consulted on the plea"
    if not victim_view:
        errors["victim_view"] = "Record the victim's view of the plea"
    if police_consulted_on is None:
        errors["police_consulted_on"] = "Enter the date the police were consulted on the plea"
    if not police_view:
        errors["police_view"] = "Record the police's view of the plea"
    return errors


@transaction.atomic
def plea_decide(
    *,
    actor: User,
    handover: Handover,
    offence_charged: str,
    offence_pleaded: str,
    accepted: bool,
    rationale: str,
    approved_by: str,
    victim_consulted_on: date | None,
    victim_view: str,
    police_consulted_on: date | None,
    police_view: str,
) -> PleaDecision:
    """The prosecutor accepts or rejects a plea to a lesser offence on a charge they authorised, always
    with a rationale. Accepting harassment (s.2, s.4) where stalking (s.2A, s.4A) was charged also needs
    the senior prosecutor's approval and the victim and the police consulted (protocol §8 item 5)."""
    _check_is_the_lawyer(actor, handover, "record a plea decision")
    handover = _locked(handover)
    if handover.status != c.HandoverStatus.DECIDED or handover.decision != c.Decision.CHARGE:
        raise TransitionNotAllowed("A plea decision can be recorded only once the prosecutor has decided to charge")
    rationale, approved_by = rationale.strip(), approved_by.strip()
    victim_view, police_view = victim_view.strip(), police_view.strip()
    today = timezone.localdate()
    errors = {}
    if offence_charged not in c.Offence.values:
        errors["offence_charged"] = "Choose the offence charged"
    elif offence_charged not in (handover.offences_charged or []):
        errors["offence_charged"] = "Choose one of the offences the charging decision authorised"
    if offence_pleaded not in c.Offence.values:
        errors["offence_pleaded"] = "Choose the offence the plea is offered to"
    elif offence_pleaded == offence_charged:
        errors["offence_pleaded"] = "A plea to the offence charged needs no plea decision: choose the lesser offence"
    if not rationale:
        errors["rationale"] = "Give the reasons for the decision on the plea"
    texts = {"rationale": rationale, "approved_by": approved_by, "victim_view": victim_view, "police_view": police_view}
    errors |= sealed_text_errors(handover.case, texts)
    if accepted and offence_charged in c.STALKING_OFFENCES and offence_pleaded in c.HARASSMENT_OFFENCES:
        errors |= _plea_consultation_errors(
            approved_by=approved_by,
            victim_consulted_on=victim_consulted_on,
            victim_view=victim_view,
            police_consulted_on=police_consulted_on,
            police_view=police_view,
        )
    for field, consulted_on in (
        ("victim_consulted_on", victim_consulted_on),
        ("police_consulted_on", police_consulted_on),
    ):
        if consulted_on is not None and consulted_on > today and field not in errors:
            errors[field] = "The date of the consultation must be today or earlier"
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    plea = PleaDecision.objects.create(
        handover=handover,
        case=handover.case,
        offence_charged=offence_charged,
        offence_pleaded=offence_pleaded,
        accepted=accepted,
        rationale=rationale,
        approved_by=approved_by,
        victim_consulted_on=victim_consulted_on,
        victim_view=victim_view,
        police_consulted_on=police_consulted_on,
        police_view=police_view,
        decided_by=actor,
        decided_at=now,
    )
    pleaded, charged = offence_labels([offence_pleaded, offence_charged])
    summary = f"Plea to {pleaded} {'accepted' if accepted else 'rejected'} on the {charged} charge"
    if approved_by:
        summary += f", approved by {approved_by}"
    timeline_record(
        case=handover.case,
        kind=TimelineKind.CHARGING,
        occurred_at=now,
        summary=summary,
        source=plea,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, handover.case_id)
    return plea
