"""The decisions that move a case on, each recorded with its move in one transaction (casework.stages,
ADR 0007): the charge, no further action or an out-of-court disposal, and the court's outcome.

- Charged: on the CPS's decision to charge (the offences it authorised), or a police charging decision
  where DG6 lets the police charge every offence (settings.POLICE_MAY_CHARGE_OFFENCES; never a case
  flagged domestic abuse or hate crime), with the reason. Either way with the restraining-order decision
  at charge.
- No further action, out-of-court disposal: the reason; in a stalking or high-risk case a supervisor's
  agreement (a supervisor records it); the victim told, and for no further action told of her right to
  ask for a review (Victims' Code).
- The court's outcome: convicted or acquitted, the restraining-order decision on conviction or on
  acquittal, the victim told; the case is finalised with Home Office outcome 1.

Each checks everything before it writes, so a refusal names every missing field and saves nothing."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import CaseStage, ContactMethod, OutcomeCode, TimelineKind
from casework.models import Case
from casework.redaction import sealed_text_errors
from casework.services.cases import case_move_check, case_stage_set
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import NON_FIELD, InvalidInput
from orders.choices import RestrainingMoment
from orders.restraining_orders import restraining_decision_errors, restraining_order_decide
from protocol import choices as c
from protocol.models import CaseDecision, Handover
from protocol.selectors import offence_labels

WITHOUT_CHARGE = {
    c.CaseDecisionKind.NO_FURTHER_ACTION: CaseStage.NO_FURTHER_ACTION,
    c.CaseDecisionKind.OUT_OF_COURT: CaseStage.OUT_OF_COURT,
}


def _locked(actor: User, case: Case) -> Case:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    return Case.objects.select_for_update().get(pk=case.pk)


def _stage_errors(case: Case, to_stage: str) -> dict[str, str]:
    try:
        case_move_check(case, to_stage)
    except InvalidInput as exc:
        return {name: " ".join(messages) for name, messages in exc.errors.items()}
    return {}


def _victim_told_errors(told_on: date | None, method: str) -> dict[str, str]:
    errors = {}
    if told_on is None:
        errors["victim_told_on"] = "Enter the date the victim was told of the decision"
    elif told_on > timezone.localdate():
        errors["victim_told_on"] = "The date the victim was told must be today or earlier"
    if method not in ContactMethod.values:
        errors["victim_told_method"] = "Choose how the victim was told"
    return errors


def is_high_risk(case: Case) -> bool:
    """The latest completed risk assessment of the case is graded high."""
    latest = (
        case.risk_assessments.exclude(status="draft").order_by("-completed_at", "-id").values_list("grade", flat=True)
    ).first()
    return latest == "high"


def needs_supervisor(case: Case) -> bool:
    """Closing a stalking or high-risk case without a charge needs a supervisor's agreement."""
    return case.is_stalking or is_high_risk(case)


def cps_charge_decision(case: Case) -> Handover | None:
    """The latest charging request the CPS decided to charge."""
    return (
        case.handovers.filter(status=c.HandoverStatus.DECIDED, decision=c.Decision.CHARGE)
        .order_by("-decided_at", "-id")
        .first()
    )


def _charge_errors(case: Case, basis: str, offences: list[str], reason: str) -> tuple[dict[str, str], Handover | None]:
    errors: dict[str, str] = {}
    if unknown := [o for o in offences if o not in c.Offence.values]:
        return {"offences": f"Unknown offences: {', '.join(unknown)}"}, None
    if basis == c.ChargeBasis.CPS:
        handover = cps_charge_decision(case)
        if handover is None:
            errors["basis"] = (
                "The CPS has not decided to charge: send a charging request from the Handover tab and wait for "
                "the decision (or record a police charging decision where the police may charge the offence)"
            )
        elif not_authorised := [o for o in offences if o not in handover.offences_charged]:
            errors["offences"] = (
                f"The CPS did not authorise {'; '.join(offence_labels(not_authorised))}: charge only "
                f"{'; '.join(offence_labels(handover.offences_charged))}"
            )
        return errors, handover
    if basis != c.ChargeBasis.POLICE:
        return {"basis": "Choose who decided to charge: the CPS, or the police where they may"}, None
    if not offences:
        errors["offences"] = "Choose the offences charged"
    elif cps_only := [o for o in offences if o not in settings.POLICE_MAY_CHARGE_OFFENCES]:
        errors["offences"] = (
            f"The police may not charge {'; '.join(offence_labels(cps_only))} (Director's Guidance on Charging): "
            "send a charging request to the CPS"
        )
    if case.is_domestic_abuse or case.is_hate:
        errors["basis"] = (
            "A case flagged domestic abuse or hate crime goes to the CPS for the charging decision (DG6): "
            "send a charging request"
        )
    if not reason.strip():
        errors["reason"] = "Give the reason for the police charging decision (it goes on the MG6)"
    return errors, None


@transaction.atomic
def case_charge(
    *,
    actor: User,
    case: Case,
    basis: str,
    offences: list[str],
    reason: str = "",
    restraining_order_sought: bool | None,
    restraining_order_id: int | None = None,
    restraining_order_reason: str = "",
) -> CaseDecision:
    """Record the charge and move the case to "charged"."""
    case = _locked(actor, case)
    offences = list(dict.fromkeys(offences))
    errors = _stage_errors(case, CaseStage.CHARGED)
    charge_errors, handover = _charge_errors(case, basis, offences, reason)
    errors |= charge_errors
    errors |= restraining_decision_errors(
        case, RestrainingMoment.CHARGE, restraining_order_sought, restraining_order_id, restraining_order_reason
    )
    errors = sealed_text_errors(case, {"reason": reason, "restraining_order_reason": restraining_order_reason}) | errors
    if errors:
        raise InvalidInput(errors)
    if handover is not None and not offences:
        offences = list(handover.offences_charged)
    restraining_order_decide(
        actor=actor,
        case=case,
        moment=RestrainingMoment.CHARGE,
        sought=restraining_order_sought,
        order_id=restraining_order_id,
        reason=restraining_order_reason,
    )
    decision = CaseDecision.objects.create(
        case=case,
        kind=c.CaseDecisionKind.CHARGE,
        basis=basis,
        handover=handover,
        offences=offences,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    how = "on the CPS's decision" if handover is not None else f"police charging decision: {decision.reason}"
    case_stage_set(actor=actor, case=case, to_stage=CaseStage.CHARGED, note=f"{'; '.join(offence_labels(offences))}")
    timeline_record(
        case=case,
        kind=TimelineKind.CHARGING,
        occurred_at=decision.decided_at,
        summary=f"Charged with {'; '.join(offence_labels(offences))} ({how})",
        source=decision,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return decision


@transaction.atomic
def case_close_without_charge(
    *,
    actor: User,
    case: Case,
    kind: str,
    reason: str,
    victim_told_on: date | None,
    victim_told_method: str,
    right_to_review_explained: bool = False,
) -> CaseDecision:
    """No further action or an out-of-court disposal, with its reason, the victim told and, in a stalking or
    high-risk case, a supervisor's agreement (the supervisor records it)."""
    case = _locked(actor, case)
    if kind not in WITHOUT_CHARGE:
        raise InvalidInput({"kind": "Choose no further action or an out-of-court disposal"})
    errors = _stage_errors(case, WITHOUT_CHARGE[kind])
    if not reason.strip():
        errors["reason"] = "Give the reason for the decision (DG6: the police record it)"
    if needs_supervisor(case) and not policy.may(actor, policy.Action.SUPERVISE_CASE, case):
        why = "a stalking case" if case.is_stalking else "a high-risk case"
        errors[NON_FIELD] = (
            f"This is {why}: it is closed without a charge only with a supervisor's agreement. "
            "Ask a supervisor of the unit to record the decision."
        )
    errors |= _victim_told_errors(victim_told_on, victim_told_method)
    if kind == c.CaseDecisionKind.NO_FURTHER_ACTION and not right_to_review_explained:
        errors["right_to_review_explained"] = (
            "Tell the victim of her right to ask for a review of the decision (Victims' Code), then confirm it"
        )
    errors = sealed_text_errors(case, {"reason": reason}) | errors
    if errors:
        raise InvalidInput(errors)
    supervisor = policy.may(actor, policy.Action.SUPERVISE_CASE, case) and needs_supervisor(case)
    decision = CaseDecision.objects.create(
        case=case,
        kind=kind,
        reason=reason.strip(),
        agreed_by=actor if supervisor else None,
        victim_told_on=victim_told_on,
        victim_told_method=victim_told_method,
        right_to_review_explained=right_to_review_explained,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    case_stage_set(actor=actor, case=case, to_stage=WITHOUT_CHARGE[kind], note=decision.reason)
    agreed = f", agreed by supervisor {actor}" if supervisor else ""
    timeline_record(
        case=case,
        kind=TimelineKind.CHARGING,
        occurred_at=decision.decided_at,
        summary=f"{decision.get_kind_display()}: {decision.reason}{agreed}; victim told "
        f"{victim_told_on:%d %b %Y} by {ContactMethod(victim_told_method).label.lower()}",
        source=decision,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return decision


@transaction.atomic
def case_court_outcome(
    *,
    actor: User,
    case: Case,
    court_result: str,
    victim_told_on: date | None,
    victim_told_method: str,
    restraining_order_sought: bool | None,
    restraining_order_id: int | None = None,
    restraining_order_reason: str = "",
    note: str = "",
) -> CaseDecision:
    """The court's outcome: the restraining-order decision on conviction or acquittal and the victim told;
    the case is finalised (Home Office outcome 1: charged or summonsed, whatever the verdict)."""
    case = _locked(actor, case)
    errors = _stage_errors(case, CaseStage.FINALISED)
    if case.stage != CaseStage.AT_COURT:
        errors["to_stage"] = "The court's outcome is recorded for a case at court"
    if court_result not in c.CourtResult.values:
        errors["court_result"] = "Choose the court's outcome"
    else:
        moment = (
            RestrainingMoment.CONVICTION if court_result == c.CourtResult.CONVICTED else RestrainingMoment.ACQUITTAL
        )
        errors |= restraining_decision_errors(
            case, moment, restraining_order_sought, restraining_order_id, restraining_order_reason
        )
    errors |= _victim_told_errors(victim_told_on, victim_told_method)
    errors = sealed_text_errors(case, {"note": note, "restraining_order_reason": restraining_order_reason}) | errors
    if errors:
        raise InvalidInput(errors)
    restraining_order_decide(
        actor=actor,
        case=case,
        moment=moment,
        sought=restraining_order_sought,
        order_id=restraining_order_id,
        reason=restraining_order_reason,
    )
    decision = CaseDecision.objects.create(
        case=case,
        kind=c.CaseDecisionKind.COURT_OUTCOME,
        court_result=court_result,
        reason=note.strip(),
        victim_told_on=victim_told_on,
        victim_told_method=victim_told_method,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    timeline_record(
        case=case,
        kind=TimelineKind.CHARGING,
        occurred_at=decision.decided_at,
        summary=f"Court outcome: {decision.get_court_result_display().lower()}; victim told "
        f"{victim_told_on:%d %b %Y} by {ContactMethod(victim_told_method).label.lower()}",
        source=decision,
        actor=actor,
    )
    case_stage_set(actor=actor, case=case, to_stage=CaseStage.FINALISED, outcome_code=OutcomeCode.CHARGED)
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return decision


def finalise_guard(case: Case, *, outcome_code: int | None = None, **_facts) -> dict[str, str]:
    """Finalising after no further action or an out-of-court disposal (the generic move) needs that decision
    recorded with the victim told, and an outcome other than "charged"."""
    if case.stage not in (CaseStage.NO_FURTHER_ACTION, CaseStage.OUT_OF_COURT):
        return {}
    decision = case.decisions.filter(kind=case.stage).order_by("-decided_at", "-id").first()
    if decision is None or decision.victim_told_on is None:
        return {
            "to_stage": f"Record the decision ({CaseStage(case.stage).label.lower()}) with its reason and the victim "
            "told on the Decisions page before finalising the case"
        }
    if outcome_code == OutcomeCode.CHARGED:
        return {
            "outcome_code": "A case closed without a charge cannot have the outcome \u201ccharged or summonsed\u201d"
        }
    return {}
