"""The periodic breach-proposal sweep: what was logged while the broker was down is still proposed."""

from datetime import timedelta

from django.utils import timezone

from casework.choices import CaseStage, Channel
from casework.tests.factories import IncidentFactory
from orders.models import BreachProposal
from orders.tasks import breach_proposals_sweep
from orders.tests.factories import ConditionFactory, ProtectiveOrderFactory, parties


def _text_during_a_no_contact_order(case):
    victim, suspect = parties(case)
    order = ProtectiveOrderFactory(case=case, respondent=suspect, in_force=True, protected_people=[victim])
    ConditionFactory(order=order, protected_people=[victim])
    # A factory row: no on-commit refresh ran, as when the broker was down.
    return IncidentFactory(
        case=case, victim=victim, channel=Channel.TEXT, occurred_at=timezone.now() - timedelta(days=1)
    )


def test_the_sweep_proposes_an_incident_the_on_commit_refresh_missed_once(case):
    incident = _text_during_a_no_contact_order(case)
    assert not BreachProposal.objects.exists()
    breach_proposals_sweep()
    breach_proposals_sweep()
    assert list(BreachProposal.objects.values_list("incident_id", flat=True)) == [incident.pk]


def test_the_sweep_leaves_finalised_cases_alone(case):
    _text_during_a_no_contact_order(case)
    case.stage, case.outcome_code = CaseStage.FINALISED, 1
    case.save()
    breach_proposals_sweep()
    assert not BreachProposal.objects.exists()
