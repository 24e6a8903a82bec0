"""Keeps `CaseRiskState` (each case's latest completed grade and escalation level) equal to what the
assessments and snapshots say, whichever way they are written: after every save or delete of either,
the case's row is worked out again from them (two indexed queries and an upsert)."""

from django.db.models.signals import post_delete, post_save

from risk.models import CaseRiskState, EscalationSnapshot, RiskAssessment
from risk.selectors import DONE


def state_refresh(case_id: int, *, create: bool = True) -> None:
    grade = (
        RiskAssessment.objects.filter(case_id=case_id, status__in=DONE)
        .order_by("-completed_at", "-id")
        .values_list("grade", flat=True)
        .first()
    )
    level = (
        EscalationSnapshot.objects.filter(case_id=case_id)
        .order_by("-computed_at", "-id")
        .values_list("level", flat=True)
        .first()
    )
    if not create:
        CaseRiskState.objects.filter(case_id=case_id).update(grade=grade, level=level)
        return
    CaseRiskState.objects.bulk_create(
        [CaseRiskState(case_id=case_id, grade=grade, level=level)],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["grade", "level"],
    )


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # not while fixtures load
        state_refresh(instance.case_id)


def _deleted(sender, instance, **kwargs) -> None:
    # Only an existing row is corrected: while a case is being deleted its row may already be gone.
    state_refresh(instance.case_id, create=False)


def connect() -> None:
    for model in (RiskAssessment, EscalationSnapshot):
        post_save.connect(_saved, sender=model, dispatch_uid=f"risk-state-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"risk-state-delete-{model.__name__}")
