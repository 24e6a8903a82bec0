"""Recording crimes, reclassifying them, and deciding on cases in the recording audit queue."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit, policy
from accounts.models import User
from casework.choices import CaseStage, PartyRole, Relationship, TimelineKind
from casework.models import Case, Person
from casework.services.cases import case_stage_set
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import EditConflict, InvalidInput
from recording import selectors
from recording.choices import (
    HARASSMENT_OFFENCES,
    OFFENCE_CLASSIFICATION,
    STALKING_OFFENCES,
    Classification,
    Offence,
)
from recording.counting_rules import RecordingWarning, check_record
from recording.models import (
    CrimeRecord,
    LegacyNoticeReview,
    LegacyNoticeType,
    LegacyWarningNotice,
    Reclassification,
    RecordingReview,
    ReviewDecision,
)

RECIPIENT_NOT_A_SUSPECT = "The recipient must be a suspect in this case"


class CountingRuleWarnings(InvalidInput):
    """The record conflicts with a counting rule: keep it only by giving `override_reason`."""


def _check_may_record(actor: User, case: Case) -> None:
    if not (policy.may(actor, policy.Action.RECORD_CRIME, case) or policy.may(actor, policy.Action.EDIT_CASE, case)):
        raise InvalidInput("You may not record crimes in this case")


def _classification_for(offence: str, classification: str | None) -> str:
    if offence not in Offence.values:
        raise InvalidInput({"offence": f"Unknown offence {offence!r}"})
    classification = classification or OFFENCE_CLASSIFICATION[offence]
    if classification not in Classification.values:
        raise InvalidInput({"classification": f"Unknown classification {classification!r}"})
    return classification


def _warnings(case: Case, classification: str, offence: str, exclude: CrimeRecord | None) -> list[RecordingWarning]:
    advice = selectors.case_advice(case)
    others = case.crime_records.exclude(pk=exclude.pk if exclude else None).values_list("offence", flat=True)
    relationship = selectors.victim_relationship(case)
    return check_record(
        proposed_classification=classification,
        proposed_offence=offence,
        other_offences=list(others),
        course_of_conduct=advice.course_of_conduct,
        relationship=relationship,
        relationship_ended=relationship == Relationship.EX_PARTNER,
        advice=advice,
    )


def _require_override(warnings: list[RecordingWarning], override_reason: str) -> str:
    if warnings and not override_reason.strip():
        raise CountingRuleWarnings(
            {"override_reason": [w.message for w in warnings]},
            warnings=[{"code": w.code, "message": w.message} for w in warnings],
        )
    return override_reason.strip() if warnings else ""


def _set_case_flags(case: Case) -> None:
    offences = set(case.crime_records.values_list("offence", flat=True))
    flags = {"is_stalking": bool(offences & STALKING_OFFENCES), "is_harassment": bool(offences & HARASSMENT_OFFENCES)}
    changed = {k: v for k, v in flags.items() if getattr(case, k) != v}
    if changed:
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1, **changed)
        case.refresh_from_db(fields=[*changed, "version"])
        audit.record("alter", obj=case, changes=changed.keys())


@transaction.atomic
def crime_record_create(
    *,
    actor: User,
    case: Case,
    offence: str,
    rationale: str,
    classification: str | None = None,
    is_principal: bool = True,
    override_reason: str = "",
) -> CrimeRecord:
    _check_may_record(actor, case)
    classification = _classification_for(offence, classification)
    if not rationale.strip():
        raise InvalidInput({"rationale": "Explain why the crime is recorded this way"})
    if is_principal and case.crime_records.filter(is_principal=True).exists():
        raise InvalidInput({"is_principal": "The case already has a principal crime; record this one as secondary"})
    override = _require_override(_warnings(case, classification, offence, None), override_reason)
    now = timezone.now()
    number = case.crime_records.count() + 1
    try:
        with transaction.atomic():
            record = CrimeRecord.objects.create(
                case=case,
                crime_number=f"{case.reference}/C{number}",
                classification=classification,
                offence=offence,
                is_principal=is_principal,
                rationale=rationale.strip(),
                override_reason=override,
                recorded_by=actor,
                recorded_at=now,
            )
    except IntegrityError as exc:
        raise InvalidInput("Another crime was recorded in this case at the same moment; reload and try again") from exc
    _set_case_flags(case)
    if case.stage == CaseStage.REPORTED:
        case_stage_set(actor=actor, case=case, to_stage=CaseStage.RECORDED, note=f"crime {record.crime_number}")
    kept = f"; kept despite a counting-rule warning: {override}" if override else ""
    timeline_record(
        case=case,
        kind=TimelineKind.RECORDING,
        occurred_at=now,
        summary=f"Crime recorded ({'principal' if is_principal else 'secondary'}): "
        f"{record.get_classification_display()}, {record.get_offence_display()}{kept}",
        source=record,
        actor=actor,
    )
    return record


@transaction.atomic
def crime_record_reclassify(
    *,
    actor: User,
    record: CrimeRecord,
    expected_version: int,
    offence: str,
    reason: str,
    classification: str | None = None,
    override_reason: str = "",
) -> CrimeRecord:
    case = record.case
    _check_may_record(actor, case)
    classification = _classification_for(offence, classification)
    if not reason.strip():
        raise InvalidInput({"reason": "Give the reason for the reclassification"})
    record = CrimeRecord.objects.select_for_update().get(pk=record.pk)
    if record.version != expected_version:
        raise EditConflict(
            "Someone else changed this crime record. Check it and try again.",
            current={"version": record.version, "classification": record.classification, "offence": record.offence},
        )
    if (classification, offence) == (record.classification, record.offence):
        raise InvalidInput({"offence": "That is the current classification"})
    override = _require_override(_warnings(case, classification, offence, record), override_reason)
    old_classification, old_offence = record.classification, record.offence
    CrimeRecord.objects.filter(pk=record.pk).update(
        classification=classification, offence=offence, override_reason=override, version=F("version") + 1
    )
    record.refresh_from_db()
    audit.record("alter", obj=record, changes=["classification", "offence", "override_reason"])
    now = timezone.now()
    Reclassification.objects.create(
        record=record,
        old_classification=old_classification,
        new_classification=classification,
        old_offence=old_offence,
        new_offence=offence,
        reason=reason.strip(),
        changed_by=actor,
        changed_at=now,
    )
    _set_case_flags(case)
    timeline_record(
        case=case,
        kind=TimelineKind.RECORDING,
        occurred_at=now,
        summary=f"Reclassified {old_classification} → {classification} ({record.get_offence_display()}): "
        f"{reason.strip()}",
        source=record,
        actor=actor,
    )
    return record


@transaction.atomic
def recording_review_decide(
    *, actor: User, case: Case, decision: str, reason: str, offence: str = ""
) -> RecordingReview:
    """Decide on a case in the audit queue; reclassifying changes its principal record too."""
    if not policy.may(actor, policy.Action.RECORD_CRIME, case):
        raise InvalidInput("Only the crime registrar or a supervisor can decide on the recording audit")
    if decision not in ReviewDecision.values:
        raise InvalidInput({"decision": f"Unknown decision {decision!r}"})
    if not reason.strip():
        raise InvalidInput({"reason": "Give the reason for the decision"})
    if decision == ReviewDecision.RECLASSIFY:
        record = case.crime_records.filter(is_principal=True).first()
        if record is None:
            raise InvalidInput("The case has no principal crime record to reclassify")
        crime_record_reclassify(
            actor=actor,
            record=record,
            expected_version=record.version,
            offence=offence or Offence.PHA_S2A,
            reason=reason,
            override_reason=reason,
        )
    review = RecordingReview.objects.create(
        case=case,
        decision=decision,
        reason=reason.strip(),
        indication_strength=selectors.stalking_indication_strength(selectors.case_advice(case)),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    timeline_record(
        case=case,
        kind=TimelineKind.RECORDING,
        occurred_at=review.decided_at,
        summary=f"Recording audit: {review.get_decision_display().lower()} — {review.reason}",
        source=review,
        actor=actor,
    )
    return review


def legacy_notice_cutoff(case: Case) -> date:
    """Notices dated on or after this day are recorded only with a reason a registrar reviews: the setting,
    else the day the case's force opened its first case here (when the product went live in the force)."""
    if settings.LEGACY_NOTICE_CUTOFF is not None:
        return settings.LEGACY_NOTICE_CUTOFF
    first = Case.objects.filter(unit__force_id=case.unit.force_id).order_by("created_at").values("created_at").first()
    return timezone.localdate(first["created_at"]) if first else timezone.localdate()


@transaction.atomic
def legacy_notice_record(
    *,
    actor: User,
    case: Case,
    recipient: Person,
    notice_type: str,
    issued_on: date,
    issuing_force: str,
    note: str = "",
    late_reason: str = "",
) -> LegacyWarningNotice:
    """Record a PIN or harassment warning issued in the past, as history. There is deliberately no way to
    issue one (ADR 0003): one dated today is refused, and one dated on or after the cut-off needs the reason
    it is recorded (e.g. issued by another force), which a registrar reviews."""
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    errors = {}
    cutoff = legacy_notice_cutoff(case)
    late = issued_on >= cutoff
    if notice_type not in LegacyNoticeType.values:
        errors["notice_type"] = f"Unknown notice type {notice_type!r}"
    if issued_on > timezone.localdate():
        errors["issued_on"] = "The notice must have been issued in the past"
    elif issued_on == timezone.localdate():
        errors["issued_on"] = (
            "A notice dated today would be a notice issued now, and none can be issued: they have no legal basis. "
            "Use bail conditions or a protective order"
        )
    elif late and not late_reason.strip():
        errors["late_reason"] = (
            f"The notice is dated on or after {cutoff:%-d %B %Y}, when this system went live, and none is issued "
            "since: give the reason it is recorded (e.g. issued by another force); a registrar will review it"
        )
    if not issuing_force.strip():
        errors["issuing_force"] = "Name the force that issued it"
    # A warning was given to the man warned: a suspect of this case, not anyone known to the system.
    if not case.parties.filter(person=recipient, role=PartyRole.SUSPECT).exists():
        errors["recipient"] = RECIPIENT_NOT_A_SUSPECT
    if errors:
        raise InvalidInput(errors)
    notice = LegacyWarningNotice.objects.create(
        case=case,
        recipient=recipient,
        notice_type=notice_type,
        issued_on=issued_on,
        issuing_force=issuing_force.strip(),
        note=note.strip(),
        late_reason=late_reason.strip() if late else "",
        review=LegacyNoticeReview.AWAITING if late else LegacyNoticeReview.NOT_NEEDED,
        recorded_by=actor,
    )
    review = f"; dated after the cut-off, awaiting a registrar's review: {notice.late_reason}" if late else ""
    timeline_record(
        case=case,
        kind=TimelineKind.RECORDING,
        occurred_at=timezone.make_aware(timezone.datetime.combine(issued_on, timezone.datetime.min.time())),
        summary=f"Earlier {notice.get_notice_type_display().lower()} given to {recipient} by {notice.issuing_force} "
        f"(history; such notices are no longer issued){review}",
        source=notice,
        person=recipient,
        actor=actor,
    )
    # His history changed: the escalation level is worked out again at once, not at the next write.
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return notice


@transaction.atomic
def legacy_notice_review(*, actor: User, notice: LegacyWarningNotice, accepted: bool, note: str) -> LegacyWarningNotice:
    """A registrar accepts a notice dated after the cut-off as history, or rejects it (kept, marked rejected,
    so the record of the attempt remains)."""
    if not policy.may(actor, policy.Action.REVIEW_LEGACY_NOTICES, notice.case):
        raise InvalidInput("Only a crime registrar of the force reviews warning notices")
    case = notice.case
    notice = LegacyWarningNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.review != LegacyNoticeReview.AWAITING:
        raise InvalidInput({"accepted": "This notice is not awaiting review"})
    if not note.strip():
        raise InvalidInput({"note": "Give the reason for the decision"})
    notice.review = LegacyNoticeReview.ACCEPTED if accepted else LegacyNoticeReview.REJECTED
    notice.reviewed_by = actor
    notice.reviewed_at = timezone.now()
    notice.review_note = note.strip()
    notice.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
    timeline_record(
        case=case,
        kind=TimelineKind.RECORDING,
        occurred_at=notice.reviewed_at,
        summary=f"Earlier {notice.get_notice_type_display().lower()} of {notice.issued_on:%d %b %Y} "
        f"{notice.get_review_display().lower()}: {notice.review_note}",
        source=notice,
        actor=actor,
    )
    return notice
