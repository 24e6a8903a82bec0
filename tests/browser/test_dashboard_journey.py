"""Oversight (journey 6): the supervisor's dashboard shows what is overdue, every number links to
its list, and an alert is acknowledged from that list with a reason."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def unit_with_overdue_work(officer, supervisor, stranger):
    """Ten days ago three cases were opened with a victim each; nobody has contacted the victims since,
    and CCTV on two of them was due two days after. Another unit has overdue work of its own."""
    from casework.alerts import sweep_all
    from casework.services.cases import case_open
    from casework.services.evidence import evidence_task_create
    from casework.services.people import party_add, person_create

    ten_days_ago = timezone.now() - timedelta(days=10)
    cases = []
    with time_machine.travel(ten_days_ago, tick=False):
        for actor, title, victim, cctv in [
            (officer, "Messages and calls from ex-partner", ("Sarah", "Collins"), True),
            (officer, "Followed home from the station", ("Amy", "Lee"), True),
            (supervisor, "Notes left on the car", ("Jo", "Brown"), False),
            (stranger, "Another unit's case", ("Kim", "Hart"), True),
        ]:
            case = case_open(actor=actor, title=title, is_stalking=True)
            person = person_create(actor=actor, first_name=victim[0], last_name=victim[1])
            party_add(actor=actor, case=case, person=person, role="victim", relationship_to_suspect="ex_partner")
            if cctv:
                evidence_task_create(
                    actor=actor,
                    case=case,
                    description="Secure the CCTV before it is overwritten",
                    due_on=timezone.localdate() + timedelta(days=2),
                )
            cases.append(case)
    sweep_all(now=timezone.now())
    return cases


def test_a_supervisor_follows_an_overdue_figure_and_acknowledges_an_alert(
    page, live_server, supervisor, unit_with_overdue_work, sign_in, screenshot, console_errors
):
    page.set_default_timeout(10_000)
    sign_in("supervisor")

    # Home: my alerts first, and the way to the dashboard.
    dashboard_link = page.get_by_role("link", name=re.compile("^Dashboard: the open cases"))
    expect(dashboard_link).to_be_visible()
    expect(page.get_by_role("heading", name="My alerts")).to_be_visible()
    dashboard_link.click()

    # The dashboard: the unit's open cases, overdue alerts by kind, workload.
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Open cases by stage")).to_be_visible()
    not_contacted = page.locator("#overdue-alerts tr").filter(has_text="Victim not contacted since the report")
    expect(not_contacted.get_by_role("link")).to_have_text(re.compile(r"^3\b"))
    evidence = page.locator("#overdue-alerts tr").filter(has_text="Evidence deadline approaching or missed")
    expect(evidence.get_by_role("link")).to_have_text(re.compile(r"^2\b"))
    expect(page.locator("#cases-by-stage tr").filter(has_text="Reported").get_by_role("link")).to_have_text(
        re.compile(r"^3\b")
    )
    screenshot("dash-01")

    # The figure leads to the list it counts: exactly that many rows.
    not_contacted.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Alerts", level=1)).to_be_visible()
    rows = page.locator("tr.app-alert-row")
    expect(rows).to_have_count(3)
    expect(page.locator("#alerts caption")).to_contain_text("3 alerts")
    expect(rows.filter(has_text="Victim not contacted since the report")).to_have_count(3)
    expect(page.get_by_text("Another unit")).to_have_count(0)
    screenshot("dash-02")

    # Acknowledge one, with the reason.
    first = rows.first
    reference = first.get_by_role("link").first.inner_text()
    first.get_by_text("Acknowledge or snooze").click()
    first.get_by_label("What are you doing about it?").fill("PC Shah is visiting the victim this afternoon")
    first.get_by_role("button", name=re.compile("^Acknowledge")).click()
    expect(
        page.get_by_text(f"Alert acknowledged: Victim not contacted since the report ({reference}).")
    ).to_be_visible()
    expect(rows).to_have_count(3)  # acknowledged, still open until the victim is contacted
    acknowledged = rows.filter(has_text=reference)
    expect(acknowledged).to_contain_text("PC Shah is visiting the victim this afternoon")
    expect(page).to_have_url(re.compile(r"/alerts/\?.*overdue=1"))
    screenshot("dash-03")
