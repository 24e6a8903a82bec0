"""The access policy: the one place that answers "may this user do this on this case?".

Three sources of access, and nothing else:
- membership: police users see the cases of their unit (the crime registrar: of their force);
- grants: per-case django-guardian permissions given at handover (CPS lawyer) or to an officer of
  another unit who is lent a case;
- referral: an advocate sees the cases whose victim was referred, with her consent to share, to the
  advocate's organisation, until the referral ends (casework.SupportReferral).
Views, the API, selectors and tasks ask `may()` / `cases_where()`; nobody tests roles themselves.
The rules are the table RULES below; docs/access-policy.md is generated from it and checked.
"""

from enum import StrEnum

from django.db.models import Q
from django.http import Http404

from accounts import audit
from accounts.choices import Role


class Action(StrEnum):
    VIEW_CASE = "view_case"  # the full case file
    EDIT_CASE = "edit_case"  # log incidents, people, evidence, contacts
    SUPERVISE_CASE = "supervise_case"  # sign off, reallocate, override with reasons
    VIEW_CASE_HISTORY = "view_case_history"  # the audit trail of a case
    RECORD_CRIME = "record_crime"  # crime recording decisions
    VIEW_HANDOVER = "view_handover"  # the handover material (all a CPS lawyer sees of a case)
    VIEW_VICTIM_SAFE = "view_victim_safe"  # advocate: the victim-safe view only
    GRANT_ACCESS = "grant_access"  # hand over to CPS, refer to an advocate
    VIEW_SEALED_DETAILS = "view_sealed_details"  # a victim's sealed address and contact details
    REVEAL_SEALED_DETAILS = "reveal_sealed_details"  # the same, only after stating a reason (audited)
    REVIEW_RETENTION = "review_retention"  # records management: retain or dispose of a finalised case
    REVIEW_LEGACY_NOTICES = "review_legacy_notices"  # accept or reject a warning notice dated after the cut-off
    # Professional standards: repeated refused attempts by a user (accounts.AccessConcern), not a case.
    REVIEW_ACCESS_CONCERNS = "review_access_concerns"
    # Administration: the police users of the force (role, unit, enrolment codes), never superusers.
    MANAGE_USERS = "manage_users"


class Scope(StrEnum):
    OIC = "oic"  # cases where the user is the officer in the case
    UNIT = "unit"  # cases of the user's own unit
    FORCE = "force"  # cases of any unit of the user's force
    GRANTED = "granted"  # cases granted to the user for this action
    REFERRED = "referred"  # cases with a victim referred, with consent, to the user's organisation


# role → action → the scopes in which the role may take the action.
RULES: dict[str, dict[Action, tuple[Scope, ...]]] = {
    Role.OFFICER: {
        Action.VIEW_CASE: (Scope.UNIT, Scope.GRANTED),
        Action.EDIT_CASE: (Scope.UNIT, Scope.GRANTED),
        Action.GRANT_ACCESS: (Scope.UNIT,),
        Action.VIEW_HANDOVER: (Scope.UNIT,),
        Action.VIEW_SEALED_DETAILS: (Scope.OIC,),
        Action.REVEAL_SEALED_DETAILS: (Scope.UNIT,),
    },
    Role.SUPERVISOR: {
        Action.VIEW_CASE: (Scope.UNIT, Scope.GRANTED),
        Action.EDIT_CASE: (Scope.UNIT, Scope.GRANTED),
        Action.SUPERVISE_CASE: (Scope.UNIT,),
        Action.VIEW_CASE_HISTORY: (Scope.UNIT,),
        Action.RECORD_CRIME: (Scope.UNIT,),
        Action.GRANT_ACCESS: (Scope.UNIT,),
        Action.VIEW_HANDOVER: (Scope.UNIT,),
        Action.VIEW_SEALED_DETAILS: (Scope.UNIT,),
    },
    Role.REGISTRAR: {
        Action.VIEW_CASE: (Scope.FORCE,),
        Action.VIEW_CASE_HISTORY: (Scope.FORCE,),
        Action.RECORD_CRIME: (Scope.FORCE,),
        Action.VIEW_HANDOVER: (Scope.FORCE,),
        Action.REVEAL_SEALED_DETAILS: (Scope.FORCE,),
        Action.REVIEW_RETENTION: (Scope.FORCE,),
        Action.REVIEW_LEGACY_NOTICES: (Scope.FORCE,),
        Action.REVIEW_ACCESS_CONCERNS: (Scope.FORCE,),
        Action.MANAGE_USERS: (Scope.FORCE,),
    },
    Role.CPS_LAWYER: {
        Action.VIEW_HANDOVER: (Scope.GRANTED,),
    },
    Role.ADVOCATE: {
        Action.VIEW_VICTIM_SAFE: (Scope.REFERRED,),
    },
}

# The guardian permission that carries a grant for each action.
GRANT_PERMISSION: dict[Action, str] = {
    Action.VIEW_CASE: "view_case",
    Action.EDIT_CASE: "change_case",
    Action.VIEW_HANDOVER: "view_handover",
}


def _scopes(user, action: Action) -> tuple[Scope, ...]:
    if not user.is_authenticated or not user.is_active:
        return ()
    return RULES.get(user.role, {}).get(action, ())


def role_may(user, action: Action) -> bool:
    """Whether the user's role may take the action on some case (for navigation, not for a case)."""
    return bool(_scopes(user, action))


def cases_where(user, action: Action) -> Q:
    """A filter on Case for the cases on which the user may take the action."""
    condition = Q(pk__in=[])
    for scope in _scopes(user, action):
        if scope is Scope.OIC:
            condition |= Q(officer_id=user.pk)
        elif scope is Scope.UNIT:
            condition |= Q(unit_id=user.unit_id)
        elif scope is Scope.FORCE:
            condition |= Q(unit__force_id=user.unit.force_id)
        elif scope is Scope.GRANTED and action in GRANT_PERMISSION:
            condition |= Q(
                pk__in=_granted_case_ids(user, GRANT_PERMISSION[action]),
            )
        elif scope is Scope.REFERRED:
            condition |= Q(pk__in=live_referrals(user).values("case_id"))
    return condition


def _granted_case_ids(user, codename: str):
    from casework.models import CaseUserObjectPermission

    return CaseUserObjectPermission.objects.filter(user=user, permission__codename=codename).values("content_object_id")


def live_referrals(user):
    """The referrals that let an advocate see a case: to her organisation, with consent, not ended."""
    from casework.choices import ReferralOutcome
    from casework.models import SupportReferral

    return SupportReferral.objects.filter(
        organisation_id=user.organisation_id,
        outcome=ReferralOutcome.REFERRED,
        consent_to_share=True,
        ended_on__isnull=True,
        organisation__isnull=False,
    )


def referred_victim_ids(user, case) -> set[int]:
    """The victims of the case referred to the user's organisation: all an advocate may see of it."""
    return set(live_referrals(user).filter(case=case).values_list("victim_id", flat=True))


def may(user, action: Action, case) -> bool:
    for scope in _scopes(user, action):
        if scope is Scope.OIC and case.officer_id == user.pk:
            return True
        if scope is Scope.UNIT and case.unit_id == user.unit_id:
            return True
        if scope is Scope.FORCE and case.unit.force_id == user.unit.force_id:
            return True
        if scope is Scope.GRANTED and action in GRANT_PERMISSION:
            if _granted_case_ids(user, GRANT_PERMISSION[action]).filter(content_object_id=case.pk).exists():
                return True
        if scope is Scope.REFERRED and live_referrals(user).filter(case=case).exists():
            return True
    return False


def access_case(user, case_id, action: Action = Action.VIEW_CASE, *, queryset=None):
    """The case if the user may take the action on it; 404 alike for "missing" and "not yours"."""
    from casework.models import Case

    queryset = Case.objects.select_related("unit__force", "officer") if queryset is None else queryset
    case = queryset.filter(pk=case_id).first()
    if case is None or not may(user, action, case):
        audit.note_refused("casework.case", case_id)
        raise Http404("No such case.")
    return case


def access_concerns_where(user) -> Q:
    """A filter on AccessConcern: concerns about users of the reviewer's force, and about users who
    belong to no force (CPS lawyers, advocates), never about the reviewer herself."""
    condition = Q(pk__in=[])
    for scope in _scopes(user, Action.REVIEW_ACCESS_CONCERNS):
        if scope is Scope.FORCE:
            condition |= Q(force_id=user.unit.force_id) | Q(force__isnull=True)
    return condition & ~Q(user_id=user.pk)


def concern_reviewers(concern):
    """The active users who may review the access concern (those it is e-mailed to)."""
    from accounts.models import User

    roles = [role for role, actions in RULES.items() if Scope.FORCE in actions.get(Action.REVIEW_ACCESS_CONCERNS, ())]
    reviewers = User.objects.filter(is_active=True, role__in=roles).exclude(pk=concern.user_id)
    return reviewers if concern.force_id is None else reviewers.filter(unit__force_id=concern.force_id)


def access_concern(user, concern_id):
    """The access concern if the user may review it; 404 alike for "missing" and "not yours"."""
    from accounts.models import AccessConcern

    concern = AccessConcern.objects.filter(access_concerns_where(user), pk=concern_id).select_related("user").first()
    if concern is None:
        audit.note_refused("accounts.accessconcern", concern_id)
        raise Http404("No such concern.")
    return concern


def users_where(user) -> Q:
    """A filter on User: the people the user may administer, police users of her force and never a
    superuser (superusers are made and changed only from the command line)."""
    condition = Q(pk__in=[])
    for scope in _scopes(user, Action.MANAGE_USERS):
        if scope is Scope.FORCE:
            condition |= Q(unit__force_id=user.unit.force_id)
    return condition & Q(is_superuser=False)


def units_managed(user):
    """The units the user may place people in: those of her force."""
    from accounts.models import Unit

    if Scope.FORCE in _scopes(user, Action.MANAGE_USERS):
        return Unit.objects.filter(force_id=user.unit.force_id)
    return Unit.objects.none()


def access_user(user, user_id):
    """The user to administer if the actor may; 404 alike for "missing" and "not yours"."""
    from accounts.models import User

    target = User.objects.filter(users_where(user), pk=user_id).select_related("unit").first()
    if target is None:
        audit.note_refused("accounts.user", user_id)
        raise Http404("No such user.")
    return target


def policy_table() -> list[tuple[str, str, str]]:
    """(role, action, scopes) rows, for the generated documentation."""
    return [
        (Role(role).label, action.value, ", ".join(s.value for s in scopes))
        for role, actions in RULES.items()
        for action, scopes in actions.items()
    ]
