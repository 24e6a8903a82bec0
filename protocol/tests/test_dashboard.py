"""The "Charging requests" figures on the dashboard: each number is the length of the list it links to,
over the open cases the user may see; the lists follow VIEW_CASE, link to the handover page and are
audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import CaseStage, OutcomeCode
from casework.dashboard import extra_sections
from casework.tests.factories import CaseFactory
from protocol import choices as c
from protocol.dashboard import LISTS
from protocol.models import ActionItem
from protocol.tests.factories import charge, handover_to

LIST = reverse("casework:figure-list")


def charging(case, lawyer, *, twice: bool = False) -> None:
    """Rows for every figure (two of each when `twice`), and rows just outside each."""
    long_ago = timezone.now() - timedelta(days=10)
    for _ in range(2 if twice else 1):
        handover_to(case, lawyer)  # awaiting a decision
        decided = handover_to(case, lawyer, missing_at_send=[{"key": "vps", "title": "VPS taken or offered"}])
        charge(decided)
        type(decided).objects.filter(pk=decided.pk).update(decided_at=long_ago)  # charge not acted on
        ActionItem.objects.create(  # overdue
            handover=decided, case=case, request="Statement", due_on=timezone.localdate() - timedelta(days=2),
            raised_by=lawyer,
        )  # fmt: skip
    # Just outside: an action not yet due and one answered, a charge decided today, an NFA long ago.
    outside = handover_to(case, lawyer)
    charge(outside, decision=c.Decision.NFA_EVIDENTIAL, code_test="", offences_charged=[])
    ActionItem.objects.create(
        handover=outside, case=case, request="Later", due_on=timezone.localdate(), raised_by=lawyer
    )
    ActionItem.objects.create(
        handover=outside, case=case, request="Done", due_on=timezone.localdate() - timedelta(days=5), raised_by=lawyer,
        answer="Done", answered_by=case.officer, answered_at=timezone.now(),
    )  # fmt: skip
    charge(handover_to(case, lawyer))


@pytest.fixture
def unit_charging(officer, stranger, lawyer, case):
    charging(case, lawyer, twice=True)
    finalised = CaseFactory(
        unit=officer.unit, officer=officer, stage=CaseStage.FINALISED, outcome_code=OutcomeCode.choices[0][0]
    )
    charging(finalised, lawyer)
    elsewhere = CaseFactory(unit=stranger.unit, officer=stranger)
    charging(elsewhere, lawyer)


def _section(user):
    return next(figures for section, figures in extra_sections(user) if section.key == "charging-requests")


def test_each_figure_is_the_length_of_its_list_over_the_users_open_cases(client, supervisor, unit_charging):
    figures = _section(supervisor)
    assert [f.label for f in figures] == [lst.label for lst in LISTS.values()]
    assert [f.count for f in figures] == [2, 2, 2, 2]
    client.force_login(supervisor)
    for figure, key in zip(figures, LISTS, strict=True):
        assert figure.link == f"{LIST}?show={key}"
        response = client.get(figure.link)
        assert response.status_code == 200
        assert response.content.decode().count("app-figure-row") == figure.count
        assert f"{figure.count} " in response.content.decode()


def test_a_list_links_each_row_to_its_charging_request_and_is_audited(client, supervisor, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(supervisor)
    response = client.get(f"{LIST}?show=awaiting-decision")
    assert reverse("protocol:handover-detail", args=[handover.pk]) in response.content.decode()
    entry = AuditEntry.objects.filter(action="consult", object_type="protocol.handover").latest("id")
    assert "dashboard list awaiting-decision" in entry.detail


def test_the_dashboard_page_shows_the_section(client, supervisor, unit_charging):
    client.force_login(supervisor)
    page = client.get(reverse("casework:dashboard")).content.decode()
    assert "Charging requests on open cases" in page and "Charge authorised, suspect not yet charged" in page


def test_an_unknown_list_and_a_lawyer_get_404(client, supervisor, lawyer):
    client.force_login(supervisor)
    assert client.get(f"{LIST}?show=nothing").status_code == 404
    client.force_login(lawyer)
    assert client.get(f"{LIST}?show=awaiting-decision").status_code == 404


def test_the_stranger_sees_none_of_another_units_requests(stranger, unit_charging):
    assert [f.count for f in _section(stranger)] == [1, 1, 1, 1]  # their own unit's case only
