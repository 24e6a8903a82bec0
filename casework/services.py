from django.db import transaction
from django.db.models import F
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts import audit, policy
from accounts.models import Unit, User
from casework.models import Case, CaseReferenceCounter
from config.errors import InvalidInput


def _next_reference(unit: Unit) -> str:
    year = timezone.localdate().year
    counter, _ = CaseReferenceCounter.objects.get_or_create(force_id=unit.force_id, year=year)
    CaseReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return f"{unit.force.code.upper()}-{year}-{counter.last_number:06d}"


@transaction.atomic
def case_open(*, actor: User, title: str, unit: Unit, officer: User) -> Case:
    title = title.strip()
    if not title:
        raise InvalidInput({"title": "Enter a title for the case"})
    if not policy.role_may(actor, policy.Action.EDIT_CASE) or actor.unit_id != unit.pk:
        raise InvalidInput({"unit": "You can only open cases in your own unit"})
    if officer.unit_id != unit.pk or not policy.role_may(officer, policy.Action.EDIT_CASE):
        raise InvalidInput({"officer": "The officer in the case must be an officer of the case's unit"})
    case = Case(reference=_next_reference(unit), title=title, unit=unit, officer=officer)
    case.save()
    return case


@transaction.atomic
def case_access_grant(*, actor: User, case: Case, grantee: User, action: policy.Action) -> None:
    """Give one user access to one case (handover to CPS, referral to an advocate, a lent officer)."""
    if not policy.may(actor, policy.Action.GRANT_ACCESS, case):
        raise InvalidInput("You may not grant access to this case")
    codename = policy.GRANT_PERMISSION.get(action)
    if codename is None or not policy.RULES.get(grantee.role, {}).get(action):
        raise InvalidInput({"grantee": f"{grantee} cannot be granted {action.value}"})
    assign_perm(f"casework.{codename}", grantee, case)
    audit.disclosed(case, recipient=f"{grantee.username} ({grantee.get_role_display()}, {grantee.place})",
                    detail=f"granted {action.value}")


@transaction.atomic
def case_access_revoke(*, actor: User, case: Case, grantee: User, action: policy.Action) -> None:
    if not policy.may(actor, policy.Action.GRANT_ACCESS, case):
        raise InvalidInput("You may not change access to this case")
    remove_perm(f"casework.{policy.GRANT_PERMISSION[action]}", grantee, case)
