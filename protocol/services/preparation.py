"""The officer's side of the handover: saving the preparation (MG5, VPS, special measures, MG6) and
sending a charging request to a CPS lawyer with the pack.

Each function is one transaction that checks its preconditions first: a refusal saves nothing."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import policy
from accounts.choices import Role
from accounts.models import User
from casework.choices import CaseStage, PartyRole, TimelineKind
from casework.documents import document_request
from casework.models import Case
from casework.redaction import sealed_text_check
from casework.services.cases import TRANSITIONS, case_access_grant, case_stage_set
from casework.timeline import timeline_record
from config.errors import EditConflict, InvalidInput
from protocol import checklist as cl
from protocol import choices as c
from protocol.models import Handover, HandoverPreparation
from protocol.pack import CHARGING_PACK
from protocol.selectors import handover_facts

TEXT_FIELDS = (
    "headline",
    "key_witnesses",
    "interview_summary",
    "compensation",
    "vps_summary",
    "special_measures_detail",
    "witness_issues",
    "suspect_risk",
    "confidential_notes",
    "spo_not_sought_reason",
)
CHOICE_FIELDS = {
    "anticipated_plea": c.AnticipatedPlea,
    "vps": c.VpsStatus,
    "special_measures": c.SpecialMeasures,
}
# Every field the officer edits, in the order of the form.
PREPARATION_FIELDS = (
    "offences",
    "headline",
    "key_witnesses",
    "interview_summary",
    "anticipated_plea",
    "compensation",
    "vps",
    "vps_on",
    "vps_summary",
    "special_measures",
    "special_measures_detail",
    "special_measures_on",
    "witness_issues",
    "suspect_risk",
    "confidential_notes",
    "spo_not_sought_reason",
)


def _check_may_prepare(actor: User, case: Case) -> None:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(PREPARATION_FIELDS)
    if unknown:
        raise InvalidInput({name: "Not a field of the handover preparation" for name in sorted(unknown)})
    errors: dict[str, str] = {}
    clean: dict = {}
    for name in TEXT_FIELDS:
        if name in fields:
            clean[name] = (fields[name] or "").strip()
    for name, choices in CHOICE_FIELDS.items():
        if name in fields:
            value = fields[name] or ""
            if value not in choices.values:
                errors[name] = f"Unknown value {value!r}"
            clean[name] = value
    if "offences" in fields:
        offences = list(dict.fromkeys(fields["offences"] or []))
        bad = [o for o in offences if o not in c.Offence.values]
        if bad:
            errors["offences"] = f"Unknown offence {bad[0]!r}"
        clean["offences"] = [o for o in c.Offence.values if o in offences]
    for name in ("vps_on", "special_measures_on"):
        if name in fields:
            when = fields[name]
            if when is not None and not isinstance(when, date):
                errors[name] = "Enter a date"
            elif when is not None and when > timezone.localdate():
                errors[name] = "The date cannot be in the future"
            clean[name] = when
    if errors:
        raise InvalidInput(errors)
    return clean


def _check_consistent(prep: HandoverPreparation) -> None:
    errors: dict[str, str] = {}
    if prep.vps_on and not prep.vps:
        errors["vps_on"] = "Give the date with the decision on the statement"
    if prep.special_measures_on and not prep.special_measures:
        errors["special_measures_on"] = "Give the date with the decision on special measures"
    if prep.special_measures_detail and prep.special_measures != c.SpecialMeasures.NEEDED:
        errors["special_measures_detail"] = "Describe measures only when measures are sought"
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def preparation_save(*, actor: User, case: Case, expected_version: int, **fields) -> HandoverPreparation:
    """Save the officer's preparation. `expected_version` is the version the officer edited (0 when none
    was saved yet); a stale one is refused with the current state and nothing is saved."""
    _check_may_prepare(actor, case)
    clean = _clean(fields)
    sealed_text_check(case, {name: clean[name] for name in TEXT_FIELDS if name in clean})
    prep = HandoverPreparation.objects.select_for_update().filter(case=case).first()
    current = prep.version if prep else 0
    if current != expected_version:
        raise EditConflict(
            "Someone else changed the handover preparation since you opened it. Check it and try again.",
            current={"version": current},
        )
    if prep is None:
        prep = HandoverPreparation(case=case, updated_by=actor)
    for name, value in clean.items():
        setattr(prep, name, value)
    _check_consistent(prep)
    prep.updated_by = actor
    if prep.pk is None:
        try:
            with transaction.atomic():
                prep.save()
        except IntegrityError as exc:
            raise EditConflict(
                "Someone else saved the handover preparation at the same moment. Check it and try again.",
                current={"version": 1},
            ) from exc
        return prep
    prep.version = current + 1
    prep.save(update_fields=[*clean, "updated_by", "updated_at", "version"])
    return prep


def _missing_record(items: list[cl.ChecklistItem]) -> list[dict]:
    return [
        {"key": i.key, "title": i.title, "detail": i.detail, "blocks_handover": i.blocks_handover}
        for i in cl.missing_items(items)
    ]


def _check_may_send(actor: User, case: Case, lawyer: User | None, priority: str) -> None:
    if not (policy.may(actor, policy.Action.EDIT_CASE, case) and policy.may(actor, policy.Action.GRANT_ACCESS, case)):
        raise InvalidInput("You may not send this case to the CPS")
    errors: dict[str, str] = {}
    if lawyer is None or not lawyer.is_active or lawyer.role != Role.CPS_LAWYER:
        errors["lawyer"] = "Choose a CPS lawyer"
    if priority not in c.Priority.values:
        errors["priority"] = "Choose the priority"
    if errors:
        raise InvalidInput(errors)


def _check_override(actor: User, case: Case, blocking: list[cl.ChecklistItem], override_reason: str) -> str:
    if not blocking:
        return ""
    names = "; ".join(i.title for i in blocking)
    if not policy.may(actor, policy.Action.SUPERVISE_CASE, case):
        raise InvalidInput(
            {"override_reason": f"The file is missing: {names}. Complete it, or ask a supervisor to send it anyway."}
        )
    if not override_reason.strip():
        raise InvalidInput({"override_reason": f"The file is missing: {names}. Give the reason for sending it now."})
    return override_reason.strip()


def _move_stage(actor: User, case: Case) -> bool:
    """Move the case to "charging advice requested" where its transition table allows it now."""
    if CaseStage.CHARGING_ADVICE_REQUESTED not in TRANSITIONS[case.stage]:
        return False
    if not case.parties.filter(role=PartyRole.SUSPECT).exists():
        return False
    case_stage_set(actor=actor, case=case, to_stage=CaseStage.CHARGING_ADVICE_REQUESTED, note="charging request sent")
    return True


@transaction.atomic
def handover_send(
    *, actor: User, case: Case, lawyer: User | None, priority: str, note: str, override_reason: str = ""
) -> Handover:
    """Send a charging request (MG3, DG6) to one CPS lawyer: grant them the handover material, request the
    pack, move the case to "charging advice requested" where it can, and write the timeline. With
    blocking checklist items missing only a supervisor may send, giving the reason."""
    _check_may_send(actor, case, lawyer, priority)
    sealed_text_check(case, {"note": note, "override_reason": override_reason})
    case = Case.objects.select_for_update().get(pk=case.pk)
    items = cl.evaluate(handover_facts(case))
    reason = _check_override(actor, case, cl.blocking_items(items), override_reason)
    now = timezone.now()
    handover = Handover.objects.create(
        case=case,
        lawyer=lawyer,
        priority=priority,
        note=note.strip(),
        sent_by=actor,
        sent_at=now,
        missing_at_send=_missing_record(items),
        override_reason=reason,
    )
    case_access_grant(actor=actor, case=case, grantee=lawyer, action=policy.Action.VIEW_HANDOVER)
    handover.pack = document_request(actor=actor, case=case, kind=CHARGING_PACK, source=handover)
    handover.save(update_fields=["pack"])
    _move_stage(actor, case)
    missing = len(handover.missing_at_send)
    summary = (
        f"Charging request sent to {lawyer.get_full_name() or lawyer.username} (CPS), {handover.get_priority_display()}"
    )
    if missing:
        summary += f"; {missing} checklist item{'s' if missing != 1 else ''} missing"
    if reason:
        summary += f"; sent by a supervisor because: {reason}"
    timeline_record(
        case=case, kind=TimelineKind.HANDOVER, occurred_at=now, summary=summary, source=handover, actor=actor
    )
    return handover
