"""The access policy, as a table: who may do what on the case of the officer's unit."""

import pytest
from django.http import Http404

from accounts import policy
from accounts.policy import Action
from casework.models import Case
from casework.services.cases import case_access_grant, case_access_revoke

A = Action
EVERY_ACTION = list(Action)

# Who may do what on `case` (which belongs to the officer's unit) without any grant.
EXPECTED = {
    "officer": {
        A.VIEW_CASE,
        A.EDIT_CASE,
        A.GRANT_ACCESS,
        A.VIEW_HANDOVER,
        A.VIEW_SEALED_DETAILS,
        A.REVEAL_SEALED_DETAILS,
    },
    "supervisor": {
        A.VIEW_CASE,
        A.EDIT_CASE,
        A.SUPERVISE_CASE,
        A.VIEW_CASE_HISTORY,
        A.RECORD_CRIME,
        A.GRANT_ACCESS,
        A.VIEW_HANDOVER,
        A.VIEW_SEALED_DETAILS,
    },
    "registrar": {
        A.VIEW_CASE,
        A.VIEW_CASE_HISTORY,
        A.RECORD_CRIME,
        A.VIEW_HANDOVER,
        A.REVEAL_SEALED_DETAILS,
        A.REVIEW_RETENTION,
        A.REVIEW_LEGACY_NOTICES,
        A.REVIEW_ACCESS_CONCERNS,  # force-wide; what it reaches is access_concerns_where (test_refused_access)
        A.MANAGE_USERS,  # force-wide; what it reaches is users_where (test_administration)
    },
    "stranger": set(),
    "lawyer": set(),
    "advocate": set(),
}


@pytest.mark.parametrize("who", EXPECTED)
@pytest.mark.parametrize("action", EVERY_ACTION)
def test_decisions_without_grants(cast, case, who, action):
    user = cast[who]
    allowed = action in EXPECTED[who]
    assert policy.may(user, action, case) is allowed
    assert Case.objects.filter(policy.cases_where(user, action), pk=case.pk).exists() is allowed


@pytest.mark.parametrize(
    ("who", "granted", "now_allowed"),
    [
        ("lawyer", A.VIEW_HANDOVER, {A.VIEW_HANDOVER}),
        ("stranger", A.VIEW_CASE, {A.VIEW_CASE}),
    ],
)
def test_a_grant_gives_exactly_the_granted_action(cast, case, who, granted, now_allowed):
    user = cast[who]
    case_access_grant(actor=cast["officer"], case=case, grantee=user, action=granted)
    for action in EVERY_ACTION:
        assert policy.may(user, action, case) is (action in now_allowed), action
        assert Case.objects.filter(policy.cases_where(user, action), pk=case.pk).exists() is (action in now_allowed)


def _refer(case, victim, organisation, **fields):
    from casework.models import SupportReferral

    return SupportReferral.objects.create(
        case=case, victim=victim, service="stalking_advocate", referred_on=case.created_at.date(),
        organisation=organisation, recorded_by=case.officer, **({"consent_to_share": True} | fields),
    )  # fmt: skip


def test_an_advocate_sees_the_victim_safe_view_of_a_case_referred_to_her_organisation_with_consent(cast, case):
    from accounts.tests.factories import UserFactory
    from casework.tests.factories import PersonFactory

    advocate, victim = cast["advocate"], PersonFactory()
    colleague = UserFactory(role="advocate", organisation=advocate.organisation)
    elsewhere = UserFactory(role="advocate")

    def allowed(user) -> set:
        return {action for action in EVERY_ACTION if policy.may(user, action, case)}

    without_consent = _refer(case, victim, advocate.organisation, consent_to_share=False)
    assert allowed(advocate) == set() and policy.referred_victim_ids(advocate, case) == set()
    referral = _refer(case, victim, advocate.organisation)
    for user in (advocate, colleague):
        assert allowed(user) == {A.VIEW_VICTIM_SAFE}
        assert list(Case.objects.filter(policy.cases_where(user, A.VIEW_VICTIM_SAFE))) == [case]
    assert policy.referred_victim_ids(advocate, case) == {victim.pk}
    assert allowed(elsewhere) == set()
    type(referral).objects.filter(pk__in=[referral.pk, without_consent.pk]).update(ended_on=case.created_at.date())
    assert allowed(advocate) == set()
    assert not Case.objects.filter(policy.cases_where(advocate, A.VIEW_VICTIM_SAFE)).exists()


def test_a_revoked_grant_takes_effect_at_once(cast, case):
    lawyer = cast["lawyer"]
    case_access_grant(actor=cast["officer"], case=case, grantee=lawyer, action=A.VIEW_HANDOVER)
    assert policy.may(lawyer, A.VIEW_HANDOVER, case)
    case_access_revoke(actor=cast["officer"], case=case, grantee=lawyer, action=A.VIEW_HANDOVER)
    assert not policy.may(lawyer, A.VIEW_HANDOVER, case)


def test_a_lawyer_cannot_be_granted_the_full_case_file(cast, case):
    from config.errors import InvalidInput

    with pytest.raises(InvalidInput, match="cannot be granted view_case"):
        case_access_grant(actor=cast["officer"], case=case, grantee=cast["lawyer"], action=A.VIEW_CASE)


def test_an_officer_of_another_unit_cannot_grant_access(cast, case):
    from config.errors import InvalidInput

    with pytest.raises(InvalidInput):
        case_access_grant(actor=cast["stranger"], case=case, grantee=cast["lawyer"], action=A.VIEW_HANDOVER)


def test_sealed_details_are_for_the_oic_not_every_officer_of_the_unit(cast, case):
    from accounts.tests.factories import UserFactory

    colleague = UserFactory(role="officer", unit=case.unit)
    assert policy.may(cast["officer"], A.VIEW_SEALED_DETAILS, case)
    assert not policy.may(colleague, A.VIEW_SEALED_DETAILS, case)
    assert policy.may(colleague, A.REVEAL_SEALED_DETAILS, case)


def test_an_inactive_user_may_do_nothing(cast, case):
    officer = cast["officer"]
    officer.is_active = False
    assert not any(policy.may(officer, action, case) for action in EVERY_ACTION)


def test_access_case_gives_the_same_404_for_missing_and_not_yours(cast, case):
    assert policy.access_case(cast["officer"], case.pk) == case
    with pytest.raises(Http404) as not_yours:
        policy.access_case(cast["stranger"], case.pk)
    with pytest.raises(Http404) as missing:
        policy.access_case(cast["officer"], case.pk + 1000)
    assert str(not_yours.value) == str(missing.value)


def test_the_policy_document_matches_the_rules():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "access-policy.md").read_text()
    for role, action, scopes in policy.policy_table():
        assert f"| {role} | {action} | {scopes} |" in doc, (role, action)
