"""The advocate's writes (casework/services/care.py): a safety plan measure, marking it done, passing on
an incident. Every refusal, and nothing half-saved. The fixtures here are shared by test_care_*.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from casework.choices import Channel, PartyRole, PassedOnStatus, ReferralOutcome, SupportService
from casework.models import CaseParty, Incident, PassedOnIncident, SafetyPlanItem, SupportReferral, TimelineEvent
from casework.services import care
from casework.tests.factories import PersonFactory
from config.errors import InvalidInput, TransitionNotAllowed


def refer(case, victim, organisation, *, consent=True, outcome=ReferralOutcome.REFERRED, ended_on=None):
    return SupportReferral.objects.create(
        case=case,
        victim=victim,
        service=SupportService.STALKING_ADVOCATE,
        outcome=outcome,
        referred_on=timezone.localdate() - timedelta(days=3),
        organisation=organisation,
        consent_to_share=consent,
        ended_on=ended_on,
        recorded_by=case.officer,
        note="" if outcome == ReferralOutcome.REFERRED else "She did not want it",
    )


@pytest.fixture
def victim(case):
    person = PersonFactory(first_name="Jane", last_name="Doe")
    CaseParty.objects.create(case=case, person=person, role=PartyRole.VICTIM)
    return person


@pytest.fixture
def other_victim(case):
    """A second victim of the same case, never referred to the advocate's organisation."""
    person = PersonFactory(first_name="Olivia", last_name="Otherly")
    CaseParty.objects.create(case=case, person=person, role=PartyRole.VICTIM)
    return person


@pytest.fixture
def referral(case, victim, advocate):
    return refer(case, victim, advocate.organisation)


@pytest.fixture
def other_advocate(db):
    return UserFactory(username="advocate2", role=Role.ADVOCATE)


def _passed_on(actor, case, victim, **overrides):
    fields = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "channel": Channel.TEXT,
        "count": 3,
        "account": "He sent three texts last night saying he was outside.",
    }
    return care.passed_on_record(actor=actor, case=case, victim_id=victim.pk, **(fields | overrides))


# --- Passing on an incident ----------------------------------------------------------------------


def test_it_records_what_she_told_her_advocate_awaiting_review(advocate, case, victim, referral):
    item = _passed_on(advocate, case, victim)
    assert item.status == PassedOnStatus.AWAITING
    assert (item.victim_id, item.channel, item.count, item.passed_on_by) == (victim.pk, Channel.TEXT, 3, advocate)
    assert item.account.startswith("He sent three texts")


def test_a_passed_on_incident_is_not_on_the_course_of_conduct_until_accepted(advocate, case, victim, referral):
    _passed_on(advocate, case, victim)
    assert not Incident.objects.filter(case=case).exists()
    assert not TimelineEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"count": 0}, "count"),
        ({"count": None}, "count"),
        ({"account": "   "}, "account"),
    ],
)
def test_it_refuses_a_passed_on_incident_with_bad_input(advocate, case, victim, referral, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        _passed_on(advocate, case, victim, **overrides)
    assert field in refused.value.errors
    assert not PassedOnIncident.objects.exists()


def test_it_refuses_a_victim_not_referred_to_her_organisation(advocate, case, victim, other_victim, referral):
    with pytest.raises(InvalidInput) as refused:
        _passed_on(advocate, case, other_victim)
    assert "victim_id" in refused.value.errors
    assert not PassedOnIncident.objects.exists()


def test_it_refuses_the_police_who_record_incidents_themselves(officer, case, victim, referral):
    with pytest.raises(InvalidInput, match="Only an advocate"):
        _passed_on(officer, case, victim)


def test_it_refuses_an_advocate_of_another_organisation(other_advocate, case, victim, referral):
    with pytest.raises(InvalidInput, match="Only an advocate"):
        _passed_on(other_advocate, case, victim)


def test_it_refuses_once_the_referral_has_ended(advocate, case, victim, referral):
    SupportReferral.objects.filter(pk=referral.pk).update(ended_on=timezone.localdate())
    with pytest.raises(InvalidInput, match="Only an advocate"):
        _passed_on(advocate, case, victim)
    assert not PassedOnIncident.objects.exists()


def test_it_refuses_without_her_consent_to_share(advocate, case, victim):
    refer(case, victim, advocate.organisation, consent=False)
    with pytest.raises(InvalidInput, match="Only an advocate"):
        _passed_on(advocate, case, victim)


# --- The safety plan -----------------------------------------------------------------------------


def _add(actor, case, victim, **overrides):
    fields = {
        "risk": "He waits outside her work",
        "measure": "Her employer walks her to the car park",
        "owner": "Her employer",
        "review_on": timezone.localdate() + timedelta(days=14),
    }
    return care.safety_plan_item_add(actor=actor, case=case, victim_id=victim.pk, **(fields | overrides))


def test_it_adds_a_measure_to_her_safety_plan_off_the_timeline(advocate, case, victim, referral):
    item = _add(advocate, case, victim, risk="  He waits outside her work  ")
    assert (item.risk, item.owner, item.done_on, item.created_by) == (
        "He waits outside her work",
        "Her employer",
        None,
        advocate,
    )
    assert not TimelineEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"risk": ""}, "risk"),
        ({"risk": "x" * 301}, "risk"),
        ({"measure": "  "}, "measure"),
        ({"owner": "y" * 201}, "owner"),
        ({"review_on": timezone.localdate() - timedelta(days=1)}, "review_on"),
    ],
)
def test_it_refuses_a_measure_with_bad_input(advocate, case, victim, referral, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        _add(advocate, case, victim, **overrides)
    assert field in refused.value.errors
    assert not SafetyPlanItem.objects.exists()


def test_it_refuses_a_measure_for_another_victim_or_by_the_police(
    advocate, officer, case, victim, other_victim, referral
):
    with pytest.raises(InvalidInput):
        _add(advocate, case, other_victim)
    with pytest.raises(InvalidInput):
        _add(officer, case, victim)
    assert not SafetyPlanItem.objects.exists()


def test_it_marks_a_measure_done_once(advocate, case, victim, referral):
    item = _add(advocate, case, victim)
    done = care.safety_plan_item_done(actor=advocate, item=item)
    assert done.done_on == timezone.localdate()
    with pytest.raises(TransitionNotAllowed, match="already marked done"):
        care.safety_plan_item_done(actor=advocate, item=item)


def test_it_refuses_a_done_date_in_the_future_or_before_the_measure(advocate, case, victim, referral):
    item = _add(advocate, case, victim)
    with pytest.raises(InvalidInput) as refused:
        care.safety_plan_item_done(actor=advocate, item=item, done_on=timezone.localdate() + timedelta(days=1))
    assert "done_on" in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        care.safety_plan_item_done(actor=advocate, item=item, done_on=timezone.localdate() - timedelta(days=5))
    assert "done_on" in refused.value.errors
    item.refresh_from_db()
    assert item.done_on is None


def test_it_refuses_marking_done_after_the_referral_ended(advocate, case, victim, referral):
    item = _add(advocate, case, victim)
    SupportReferral.objects.filter(pk=referral.pk).update(ended_on=timezone.localdate())
    with pytest.raises(InvalidInput):
        care.safety_plan_item_done(actor=advocate, item=item)
    item.refresh_from_db()
    assert item.done_on is None
