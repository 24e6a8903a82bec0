"""Protection's figures on the dashboard: each number is the length of the list it links to, over the
open cases the user may see; the lists follow VIEW_CASE and are audited."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import CaseStage, OutcomeCode
from casework.dashboard import extra_sections
from casework.tests.factories import CaseFactory, IncidentFactory
from orders import choices as c
from orders.dashboard import LISTS
from orders.tests.factories import (
    BreachFactory,
    ProtectiveOrderFactory,
    SearchWarrantFactory,
    SuspectRouteFactory,
    VictimNoticeFactory,
)

LIST = reverse("casework:figure-list")


def ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def protection(case, *, twice: bool = False) -> None:
    """Rows for every protection figure (two of each when `twice`), and rows just outside each."""
    for _ in range(2 if twice else 1):
        order = ProtectiveOrderFactory(case=case, in_force=True, expires_on=ago(-10))
        SuspectRouteFactory(case=case, bail=True, occurred_on=ago(20), bail_end=ago(-3))
        BreachFactory(order=order, incident=IncidentFactory(case=case, occurred_at=timezone.now() - timedelta(days=2)))
        SuspectRouteFactory(case=case, route=c.Route.VOLUNTARY_INTERVIEW, needs_review=True)
        VictimNoticeFactory(case=case, order=order, due_on=ago(2))
    # Just outside: expiring after the window, bail ended, an old breach, a reviewed route, a notice not
    # yet due and one already given.
    far = ProtectiveOrderFactory(case=case, in_force=True, expires_on=ago(-60))
    SuspectRouteFactory(case=case, bail=True, occurred_on=ago(20), bail_end=ago(-3), bail_ended_on=ago(1))
    BreachFactory(order=far, incident=IncidentFactory(case=case, occurred_at=timezone.now() - timedelta(days=40)))
    SuspectRouteFactory(
        case=case, route=c.Route.VOLUNTARY_INTERVIEW, needs_review=True, reviewed_at=timezone.now(),
        reviewed_by=case.officer,
    )  # fmt: skip
    VictimNoticeFactory(case=case, order=far, due_on=timezone.localdate())
    VictimNoticeFactory(case=case, order=far, due_on=ago(3), informed_at=timezone.now())


def warrants(case) -> None:
    SearchWarrantFactory(case=case, applied_on=ago(5))  # applied, undecided
    SearchWarrantFactory(case=case, applied_on=ago(30), status=c.WarrantStatus.GRANTED, decided_on=ago(29))
    SearchWarrantFactory(
        case=case, applied_on=ago(60), status=c.WarrantStatus.EXECUTED, decided_on=ago(59), executed_on=ago(58)
    )
    SearchWarrantFactory(
        case=case, applied_on=ago(20), status=c.WarrantStatus.REFUSED, decided_on=ago(19), refused_reason="No"
    )
    SearchWarrantFactory(  # over a year ago: counted nowhere
        case=case, applied_on=ago(400), status=c.WarrantStatus.EXECUTED, decided_on=ago(399), executed_on=ago(398)
    )


@pytest.fixture
def unit_protection(officer, stranger, case):
    protection(case, twice=True)
    warrants(case)
    finalised = CaseFactory(
        unit=officer.unit, officer=officer, stage=CaseStage.FINALISED, outcome_code=OutcomeCode.choices[0][0]
    )
    protection(finalised)
    warrants(finalised)
    elsewhere = CaseFactory(unit=stranger.unit, officer=stranger)
    protection(elsewhere)
    warrants(elsewhere)


def _listed(client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200, link
    return response.text.count('<tr class="govuk-table__row app-figure-row">')


def _sections(user) -> dict[str, dict[str, int]]:
    return {
        section.key: {figure.label: figure.count for figure in figures} for section, figures in extra_sections(user)
    }


def test_every_protection_figure_is_the_length_of_its_list(client, supervisor, unit_protection):
    client.force_login(supervisor)
    page = client.get(reverse("casework:dashboard")).text
    for section, figures in extra_sections(supervisor):
        if section.key not in {"protection", "search-warrants"}:
            continue
        for figure in figures:
            assert figure.link in page
            assert _listed(client, figure.link) == figure.count, figure.label
    sections = _sections(supervisor)
    assert list(sections["protection"].values()) == [2, 2, 2, 2, 2]
    assert sections["search-warrants"] == {"Applied for": 4, "Granted": 2, "Refused": 1, "Executed": 1}


def test_the_api_gives_the_same_protection_figures(client, supervisor, unit_protection):
    client.force_login(supervisor)
    data = client.get(reverse("api-dashboard")).json()
    by_key = {s["key"]: {f["label"]: f["count"] for f in s["figures"]} for s in data["sections"]}
    assert by_key["protection"] == _sections(supervisor)["protection"]
    assert by_key["search-warrants"] == _sections(supervisor)["search-warrants"]


def test_a_list_shows_the_rows_with_their_case_and_is_audited(client, officer, case, unit_protection):
    client.force_login(officer)
    response = client.get(f"{LIST}?show=orders-expiring")
    assert "2 orders on the open cases you may see" in response.text
    assert reverse("orders:case-protection", args=[case.pk]) in response.text
    entry = AuditEntry.objects.filter(action="consult", object_type="orders.protectiveorder").last()
    assert entry.actor == officer and entry.object_id == "2 records"


def test_each_list_runs_in_the_same_number_of_queries_however_many_rows(client, officer, case):
    client.force_login(officer)

    def queries() -> dict[str, int]:
        counted = {}
        for key in LISTS:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{LIST}?show={key}").status_code == 200
            counted[key] = len(captured)
        return counted

    protection(case)
    warrants(case)
    few = queries()
    protection(case, twice=True)
    warrants(case)
    assert queries() == few


def test_other_units_see_none_of_it_and_those_without_case_access_get_404(
    client, stranger, lawyer, case, unit_protection
):
    client.force_login(stranger)
    assert _listed(client, f"{LIST}?show=orders-expiring") == 1  # their own unit's open case only
    assert client.get(f"{LIST}?show=no-such-list").status_code == 404
    client.force_login(lawyer)
    assert client.get(f"{LIST}?show=orders-expiring").status_code == 404
