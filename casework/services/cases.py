"""Opening a case, its lifecycle, reassignment, flags and access grants."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts import audit, policy
from accounts.models import Unit, User
from casework import stages
from casework.choices import DOMESTIC_RELATIONSHIPS, CaseStage, OutcomeCode, PartyRole, TimelineKind
from casework.models import Case, CaseParty, CaseReferenceCounter, Incident
from casework.timeline import timeline_record
from config.errors import EditConflict, InvalidInput

S = CaseStage
# The lifecycle: from each stage, the stages a case may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REPORTED: frozenset({S.RECORDED, S.NO_FURTHER_ACTION}),
    S.RECORDED: frozenset({S.UNDER_INVESTIGATION, S.NO_FURTHER_ACTION}),
    # Charged straight from investigation only by a police charging decision (casework.stages: protocol).
    S.UNDER_INVESTIGATION: frozenset({S.CHARGING_ADVICE_REQUESTED, S.CHARGED, S.NO_FURTHER_ACTION, S.OUT_OF_COURT}),
    S.CHARGING_ADVICE_REQUESTED: frozenset({S.CHARGED, S.NO_FURTHER_ACTION, S.OUT_OF_COURT, S.UNDER_INVESTIGATION}),
    S.CHARGED: frozenset({S.AT_COURT}),
    S.NO_FURTHER_ACTION: frozenset({S.FINALISED, S.UNDER_INVESTIGATION}),
    S.OUT_OF_COURT: frozenset({S.FINALISED}),
    S.AT_COURT: frozenset({S.FINALISED}),
    S.FINALISED: frozenset(),
}
# Stages that need a suspect in the case before the case can reach them.
NEEDS_SUSPECT = frozenset({S.CHARGING_ADVICE_REQUESTED, S.CHARGED, S.OUT_OF_COURT, S.AT_COURT})


def _next_reference(unit: Unit) -> str:
    year = timezone.localdate().year
    counter, _ = CaseReferenceCounter.objects.get_or_create(force_id=unit.force_id, year=year)
    CaseReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return f"{unit.force.code.upper()}-{year}-{counter.last_number:06d}"


def _check_officer(officer: User, unit: Unit) -> None:
    if officer.unit_id != unit.pk or not policy.role_may(officer, policy.Action.EDIT_CASE):
        raise InvalidInput({"officer": "The officer in the case must be an officer or supervisor of the case's unit"})


@transaction.atomic
def case_open(
    *,
    actor: User,
    title: str,
    officer: User | None = None,
    is_stalking: bool = False,
    is_harassment: bool = False,
    is_hate: bool = False,
) -> Case:
    title = title.strip()
    if not title:
        raise InvalidInput({"title": "Enter a title for the case"})
    if not policy.role_may(actor, policy.Action.EDIT_CASE):
        raise InvalidInput("Only officers and supervisors can open cases")
    unit = actor.unit
    officer = officer or actor
    _check_officer(officer, unit)
    case = Case(
        reference=_next_reference(unit),
        title=title,
        unit=unit,
        officer=officer,
        is_stalking=is_stalking,
        is_harassment=is_harassment,
        is_hate=is_hate,
    )
    case.save()
    timeline_record(
        case=case,
        kind=TimelineKind.CASE,
        occurred_at=case.created_at,
        summary=f"Case opened by {actor}; officer in the case {officer}",
        source=case,
        actor=actor,
    )
    return case


def _claim_version(case: Case, expected_version: int, **changes) -> None:
    """Apply `changes` only if nobody saved the case since `expected_version` was read."""
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        current = Case.objects.get(pk=case.pk)
        raise EditConflict(
            "Someone else changed this case while you were editing it. Check the current details and try again.",
            current={"version": current.version, "title": current.title, "stage": current.stage},
        )
    for name, value in changes.items():
        setattr(case, name, value)
    case.version = expected_version + 1


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int,
    title: str,
    is_stalking: bool,
    is_harassment: bool,
    is_hate: bool,
) -> Case:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not edit this case")
    title = title.strip()
    if not title:
        raise InvalidInput({"title": "Enter a title for the case"})
    changes = {"title": title, "is_stalking": is_stalking, "is_harassment": is_harassment, "is_hate": is_hate}
    changed = [name for name, value in changes.items() if getattr(case, name) != value]
    _claim_version(case, expected_version, **changes)
    if changed:
        audit.record("alter", obj=case, changes=changed)
    return case


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, to_stage: str, expected_version: int, outcome_code: int | None = None
) -> Case:
    """The generic move ("Move the case", `POST …/transitions/`): only the moves no service owns. An owned
    move is refused with the action to use instead (casework.stages)."""
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    case_move_check(case, to_stage)
    owner = stages.owner_of(case.stage, to_stage)
    if owner is not None:
        label = S(to_stage).label.lower()
        raise InvalidInput({"to_stage": f"A case moves to {label} only when the decision is recorded: {owner.action}"})
    errors = stages.guard_errors(case, to_stage, outcome_code=outcome_code)
    if errors:
        raise InvalidInput(errors)
    return _move(actor, case, to_stage, expected_version, outcome_code)


@transaction.atomic
def case_stage_set(*, actor: User, case: Case, to_stage: str, outcome_code: int | None = None, note: str = "") -> Case:
    """The move an owning service makes with the decision it records (casework.stages), in its transaction.
    The owner has checked who may decide and has locked the case; the lifecycle is checked here."""
    case_move_check(case, to_stage)
    return _move(actor, case, to_stage, case.version, outcome_code, note)


def case_move_check(case: Case, to_stage: str) -> None:
    """Refuse a move the lifecycle does not allow from the case's stage (also used by owners before they record)."""
    if to_stage not in S.values:
        raise InvalidInput({"to_stage": f"Unknown stage {to_stage!r}"})
    if to_stage not in TRANSITIONS[case.stage]:
        raise InvalidInput(
            {"to_stage": f"A case that is {S(case.stage).label.lower()} cannot move to {S(to_stage).label.lower()}"}
        )
    if to_stage in NEEDS_SUSPECT and not case.parties.filter(role=PartyRole.SUSPECT).exists():
        raise InvalidInput({"to_stage": f"Add the suspect before moving the case to {S(to_stage).label.lower()}"})


def _move(
    actor: User, case: Case, to_stage: str, expected_version: int, outcome_code: int | None, note: str = ""
) -> Case:
    changes: dict = {"stage": to_stage}
    if to_stage == S.FINALISED:
        if outcome_code not in OutcomeCode.values:
            raise InvalidInput({"outcome_code": "Choose the Home Office outcome before finalising the case"})
        changes["outcome_code"] = outcome_code
        changes["finalised_at"] = timezone.now()
        # Records management: the review group and first review date, from the policy table (MoPI).
        from casework.retention import retention_group, review_date
        from casework.services.retention import retention_facts

        group, _ = retention_group(retention_facts(case))
        changes["retention_group"] = group
        changes["retention_review_on"] = review_date(group, timezone.localdate(changes["finalised_at"]))
    previous = S(case.stage).label
    _claim_version(case, expected_version, **changes)
    audit.record("alter", obj=case, changes=changes.keys())
    outcome = f" (outcome {OutcomeCode(outcome_code).label})" if to_stage == S.FINALISED else ""
    timeline_record(
        case=case,
        kind=TimelineKind.CASE,
        occurred_at=timezone.now(),
        summary=f"{previous} → {S(to_stage).label}{outcome}{f': {note}' if note else ''}",
        source=case,
        actor=actor,
    )
    return case


@transaction.atomic
def case_reassign(
    *, actor: User, case: Case, expected_version: int, officer: User, unit: Unit | None = None, reason: str
) -> Case:
    """Move a case to another officer (and unit). Supervisors only; the reason goes on the timeline."""
    if not policy.may(actor, policy.Action.SUPERVISE_CASE, case):
        raise InvalidInput("Only a supervisor of the case's unit can reassign it")
    if not reason.strip():
        raise InvalidInput({"reason": "Give the reason for the reassignment"})
    unit = unit or case.unit
    _check_officer(officer, unit)
    before = f"{case.officer} ({case.unit})"
    _claim_version(case, expected_version, officer=officer, unit=unit)
    audit.record("alter", obj=case, changes=["officer", "unit"])
    timeline_record(
        case=case,
        kind=TimelineKind.CASE,
        occurred_at=timezone.now(),
        summary=f"Reassigned from {before} to {officer} ({unit}): {reason.strip()}",
        source=case,
        actor=actor,
    )
    return case


def case_flags_refresh(case: Case) -> None:
    """Derive the flags that follow from the people in the case (called by the services that change them)."""
    parties = list(case.parties.select_related("person"))
    victims = [p for p in parties if p.role == PartyRole.VICTIM]
    suspects = [p for p in parties if p.role == PartyRole.SUSPECT]
    flags = {
        "is_domestic_abuse": any(v.relationship_to_suspect in DOMESTIC_RELATIONSHIPS for v in victims),
        "is_vulnerable_victim": any(v.person.vulnerabilities for v in victims),
        "is_repeat_victim": _repeat(case, victims, PartyRole.VICTIM),
        "is_repeat_suspect": _repeat(case, suspects, PartyRole.SUSPECT),
    }
    changed = {name: value for name, value in flags.items() if getattr(case, name) != value}
    if changed:
        Case.objects.filter(pk=case.pk).update(**changed)
        for name, value in changed.items():
            setattr(case, name, value)
        audit.record("alter", obj=case, changes=changed.keys())


def _repeat(case: Case, parties: list[CaseParty], role: str) -> bool:
    """At least REPEAT_MIN_REPORTS reports about her (or against him) within REPEAT_WINDOW_DAYS, in this
    case or any other in the same role: a case counts the incidents reported in the window about its
    victims, and at least one if it was opened in the window. Dozens in one case flag her too."""
    people = [p.person_id for p in parties]
    if not people:
        return False
    since = timezone.now() - timedelta(days=settings.REPEAT_WINDOW_DAYS)
    case_ids = {case.pk, *CaseParty.objects.filter(person__in=people, role=role).values_list("case_id", flat=True)}
    incidents = Incident.objects.filter(case_id__in=case_ids, reported_at__gte=since)
    if role == PartyRole.VICTIM:
        incidents = incidents.filter(Q(victim_id__in=people) | Q(victim__isnull=True))
    counts = dict(incidents.values("case_id").annotate(n=Count("id")).values_list("case_id", "n"))
    opened = set(Case.objects.filter(pk__in=case_ids, created_at__gte=since).values_list("pk", flat=True))
    reports = sum(max(counts.get(pk, 0), 1 if pk in opened else 0) for pk in case_ids)
    return reports >= settings.REPEAT_MIN_REPORTS


@transaction.atomic
def case_access_grant(*, actor: User, case: Case, grantee: User, action: policy.Action) -> None:
    """Give one user access to one case (handover to CPS, referral to an advocate, a lent officer)."""
    if not policy.may(actor, policy.Action.GRANT_ACCESS, case):
        raise InvalidInput("You may not grant access to this case")
    codename = policy.GRANT_PERMISSION.get(action)
    if codename is None or not policy.RULES.get(grantee.role, {}).get(action):
        raise InvalidInput({"grantee": f"{grantee} cannot be granted {action.value}"})
    assign_perm(f"casework.{codename}", grantee, case)
    audit.disclosed(
        case,
        recipient=f"{grantee.username} ({grantee.get_role_display()}, {grantee.place})",
        detail=f"granted {action.value}",
    )


@transaction.atomic
def case_access_revoke(*, actor: User, case: Case, grantee: User, action: policy.Action) -> None:
    if not policy.may(actor, policy.Action.GRANT_ACCESS, case):
        raise InvalidInput("You may not change access to this case")
    remove_perm(f"casework.{policy.GRANT_PERMISSION[action]}", grantee, case)
