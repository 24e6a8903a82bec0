"""Records-management review of finalised cases (MoPI, domain.md §11.2; reliability.md §4.7): the facts a
case's review group depends on, retaining a case until its next review, and disposing of it.

Disposal is real erasure in one transaction: the case, every record that belongs only to it in any app
(found by following the foreign keys that point at it, so a model added later is erased too), and every
person who is in no other case. The audit trail keeps its ERASE rows (object type and id only, ADR 0001)
and one row naming the disposal; the RetentionDecision row outlives the case; stored files are removed
from storage after the commit."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from graphlib import TopologicalSorter

from django.db import models, transaction
from django.db.models.deletion import DO_NOTHING, SET_DEFAULT, SET_NULL
from django.utils import timezone

from accounts import audit, policy
from accounts.choices import AuditAction
from accounts.models import User
from casework.choices import CaseStage, PartyRole, RetentionDecisionKind, RetentionGroup, Threat, TimelineKind
from casework.models import Case, CaseParty, Incident, Person, PersonAlias, PersonIdentifier, RetentionDecision
from casework.retention import RetentionFacts, retention_group, review_years
from casework.services.cases import _claim_version
from casework.timeline import timeline_record
from config.errors import InvalidInput, TransitionNotAllowed

logger = logging.getLogger(__name__)

REASON_MAX = 2000
DISPOSAL_CONFIRMATION = "I confirm this case has no remaining policing purpose"
# Rows that exist only to describe a person: erased with her, and no reason to keep her.
PERSON_OWNED: tuple[type[models.Model], ...] = (PersonAlias, PersonIdentifier)
# A reference through one of these does not make a record belong to the case (it only points at it).
NOT_OWNING = (SET_NULL, SET_DEFAULT, DO_NOTHING)


def retention_facts(case: Case) -> RetentionFacts:
    """The facts the review group depends on: the crime records' offences, threats to kill and weapons in
    the incidents, any completed high-risk assessment, and the registrar's public-protection choice."""
    from recording.models import CrimeRecord
    from risk.choices import AssessmentStatus, Grade
    from risk.models import RiskAssessment

    incidents = list(Incident.objects.filter(case=case).values_list("threats", "weapon"))
    return RetentionFacts(
        public_protection=case.retention_group == RetentionGroup.PUBLIC_PROTECTION,
        offences=frozenset(CrimeRecord.objects.filter(case=case).values_list("offence", flat=True)),
        threatened_to_kill=any(Threat.KILL in (threats or []) for threats, _ in incidents),
        weapon=any(weapon.strip() for _, weapon in incidents),
        high_risk=RiskAssessment.objects.filter(
            case=case,
            status__in=[AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF],
            grade=Grade.HIGH,
        ).exists(),
    )


def review_is_due(case: Case, today: date | None = None) -> bool:
    """A finalised case is due when its review date has come; one finalised before review dates were
    kept has none, and is due at once rather than kept unseen."""
    today = today or timezone.localdate()
    return case.stage == CaseStage.FINALISED and (case.retention_review_on is None or case.retention_review_on <= today)


def _locked_for_review(actor: User, case: Case) -> Case:
    """The case re-read under a row lock (two registrars cannot decide at once), with the preconditions
    every decision shares."""
    if not policy.may(actor, policy.Action.REVIEW_RETENTION, case):
        raise InvalidInput("Only the crime registrar of the case's force can review its retention")
    locked = Case.objects.select_for_update(of=("self",)).select_related("unit__force").get(pk=case.pk)
    if locked.stage != CaseStage.FINALISED:
        raise TransitionNotAllowed("Only a finalised case can be reviewed for retention")
    if not review_is_due(locked):
        raise TransitionNotAllowed(
            f"This case's retention review is not due until {locked.retention_review_on:%d %B %Y}"
        )
    return locked


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": "Give the reason for the decision"})
    if len(reason) > REASON_MAX:
        raise InvalidInput({"reason": f"Keep the reason to {REASON_MAX} characters"})
    return reason


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def retention_retain(
    *, actor: User, case: Case, reason: str, next_review_on: date, public_protection: bool = False
) -> RetentionDecision:
    """Keep the case until `next_review_on` (after today, and within its group's review period), with the
    reason; the registrar may move it to the public protection group."""
    locked = _locked_for_review(actor, case)
    reason = _reason(reason)
    today = timezone.localdate()
    if public_protection or locked.retention_group == RetentionGroup.PUBLIC_PROTECTION:
        group = RetentionGroup.PUBLIC_PROTECTION
    else:
        group = locked.retention_group or retention_group(retention_facts(locked))[0]
    latest = _years_after(today, review_years(group))
    if next_review_on is None or next_review_on <= today:
        raise InvalidInput({"next_review_on": "The next review date must be in the future"})
    if next_review_on > latest:
        raise InvalidInput(
            {"next_review_on": f"Review the case again by {latest:%d %B %Y} ({RetentionGroup(group).label})"}
        )
    decision = RetentionDecision.objects.create(
        case=locked,
        case_reference=locked.reference,
        decision=RetentionDecisionKind.RETAIN,
        retention_group=group,
        reason=reason,
        next_review_on=next_review_on,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    changes = {"retention_group": group, "retention_review_on": next_review_on}
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    _claim_version(locked, locked.version, **changes)
    audit.record(AuditAction.ALTER, obj=locked, changes=changed, actor=actor)
    timeline_record(
        case=locked,
        kind=TimelineKind.CASE,
        occurred_at=decision.decided_at,
        summary=f"Retention review: retained ({RetentionGroup(group).label}); next review {next_review_on:%d %b %Y}",
        source=decision,
        actor=actor,
    )
    for name, value in changes.items():
        setattr(case, name, value)
    case.version = locked.version
    return decision


# --- Disposal ------------------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """What disposing of a case erases: rows by model, the people in no other case, the stored files."""

    rows: dict[type[models.Model], set] = field(default_factory=lambda: defaultdict(set))
    people: set[int] = field(default_factory=set)
    files: list[tuple[object, str]] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(pks) for pks in self.rows.values())


def _owning_relations(model: type[models.Model]) -> list:
    """Reverse foreign keys whose rows belong to a row of `model` (they cannot outlive it)."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created
        and not rel.concrete
        and (rel.one_to_many or rel.one_to_one)
        and rel.on_delete not in NOT_OWNING
        and rel.related_model is not Person
    ]


def _case_rows(case: Case) -> dict[type[models.Model], set]:
    """The case and, transitively, every row that refers to one of its rows in a way that ties it to it."""
    rows: dict[type[models.Model], set] = defaultdict(set)
    frontier: list[tuple[type[models.Model], set]] = [(Case, {case.pk})]
    while frontier:
        model, pks = frontier.pop()
        new = pks - rows[model]
        if not new:
            continue
        rows[model] |= new
        for rel in _owning_relations(model):
            child = rel.related_model
            child_pks = set(child._base_manager.filter(**{f"{rel.field.name}__in": new}).values_list("pk", flat=True))
            if child_pks:
                frontier.append((child, child_pks))
    return rows


def _refuse_rows_of_other_cases(case: Case, rows: dict[type[models.Model], set]) -> None:
    """A record found through this case that names another case would take that case's data with it."""
    for model, pks in rows.items():
        for f in model._meta.concrete_fields:
            if model is Case or not (f.is_relation and f.related_model is Case):
                continue
            foreign = model._base_manager.filter(pk__in=pks, **{f"{f.name}__isnull": False}).exclude(**{f.name: case})
            if foreign.exists():
                raise TransitionNotAllowed(
                    f"This case shares {model._meta.verbose_name_plural} with another case; it cannot be disposed "
                    "of until they are separated"
                )


def _people_of(case: Case, rows: dict[type[models.Model], set]) -> set[int]:
    """People named by the case's records who are a party to no other case."""
    named = set(CaseParty.objects.filter(case=case).values_list("person_id", flat=True))
    for model, pks in rows.items():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Person:
                named |= set(
                    model._base_manager.filter(pk__in=pks, **{f"{f.name}__isnull": False}).values_list(
                        f.attname, flat=True
                    )
                )
    elsewhere = set(
        CaseParty.objects.filter(person_id__in=named).exclude(case=case).values_list("person_id", flat=True)
    )
    return named - elsewhere


def _still_referenced(person_ids: set[int]) -> set[int]:
    """People some remaining record still points at (another case's order protecting her, say)."""
    kept: set[int] = set()
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model in PERSON_OWNED:
            continue
        kept |= set(
            rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": person_ids}).values_list(
                rel.field.attname, flat=True
            )
        )
    for m2m in Person._meta.related_objects:
        if m2m.many_to_many:
            through = m2m.through
            fk = next(f for f in through._meta.concrete_fields if f.is_relation and f.related_model is Person)
            kept |= set(
                through._base_manager.filter(**{f"{fk.name}__in": person_ids}).values_list(fk.attname, flat=True)
            )
    return kept & person_ids


def _stored_files(rows: dict[type[models.Model], set]) -> list[tuple[object, str]]:
    files = []
    for model, pks in rows.items():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names = model._base_manager.filter(pk__in=pks).exclude(**{f.name: ""}).values_list(f.name, flat=True)
                files += [(f.storage, name) for name in names if name]
    return files


def erasure_plan(case: Case) -> ErasurePlan:
    rows = _case_rows(case)
    _refuse_rows_of_other_cases(case, rows)
    plan = ErasurePlan(rows=rows, people=_people_of(case, rows), files=_stored_files(rows))
    return plan


def _deletion_order(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    """Referring models before the models they refer to, so no PROTECT reference is left standing."""
    sorter: TopologicalSorter = TopologicalSorter({model: set() for model in models_})
    for model in models_:
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in models_ and f.related_model is not model:
                sorter.add(f.related_model, model)
    return list(sorter.static_order())


def _delete_rows(model: type[models.Model], pks: set) -> None:
    self_refs = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
    remaining = set(pks)
    while remaining:
        batch = set(remaining)
        for f in self_refs:
            # Rows another remaining row still points at wait for the next round (an order that follows).
            batch -= set(
                model._base_manager.filter(pk__in=remaining, **{f"{f.name}__isnull": False}).values_list(
                    f.attname, flat=True
                )
            )
        if not batch:
            raise TransitionNotAllowed(f"The case's {model._meta.verbose_name_plural} refer to each other in a loop")
        model._base_manager.filter(pk__in=batch).delete()
        remaining -= batch


def _delete_object_permissions(rows: dict[type[models.Model], set]) -> None:
    """Generic (non-foreign-key) django-guardian grants on any erased row."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    for model, pks in rows.items():
        # Looked up, not get_for_model, which would create content types for through tables.
        content_type = ContentType.objects.filter(app_label=model._meta.app_label, model=model._meta.model_name)
        ids = [str(pk) for pk in pks]
        for grant_model in (UserObjectPermission, GroupObjectPermission):
            grant_model.objects.filter(content_type__in=content_type, object_pk__in=ids).delete()


def _remove_files(files: list[tuple[object, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove %s of a disposed case from storage", name)


@transaction.atomic
def case_dispose(*, actor: User, case: Case, reason: str, confirmed: bool) -> RetentionDecision:
    """Erase the case and everything that belongs only to it, after a retention review."""
    locked = _locked_for_review(actor, case)
    reason = _reason(reason)
    if not confirmed:
        raise InvalidInput({"confirmed": f"Confirm: {DISPOSAL_CONFIRMATION.lower()}"})
    plan = erasure_plan(locked)
    decision = RetentionDecision.objects.create(
        case=locked,
        case_reference=locked.reference,
        decision=RetentionDecisionKind.DISPOSE,
        retention_group=locked.retention_group or retention_group(retention_facts(locked))[0],
        reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    # Every deletion writes its own ERASE audit row (the signal handlers of registered models).
    for model in _deletion_order(list(plan.rows)):
        _delete_rows(model, plan.rows[model])
    _delete_object_permissions(plan.rows)
    people = plan.people - _still_referenced(plan.people)
    Person._base_manager.filter(pk__in=people).delete()
    audit.record(
        AuditAction.ERASE,
        actor=actor,
        object_type=audit.object_type_of(Case),
        object_id=str(locked.pk),
        detail=(
            f"disposed of {locked.reference} after retention review (decision {decision.pk}): "
            f"{plan.row_count} records, {len(people)} people, {len(plan.files)} files. Reason: {reason}"
        ),
    )
    files = list(plan.files)
    transaction.on_commit(lambda: _remove_files(files))
    decision.case = None  # the database set it null with the case gone
    return decision


def case_counts(case: Case) -> dict[str, int]:
    """What a retention review weighs up: how much the case holds."""
    return {
        "incidents": case.incidents.count(),
        "evidence": case.evidence.count(),
        "people": case.parties.count(),
        "victims": case.parties.filter(role=PartyRole.VICTIM).count(),
    }
