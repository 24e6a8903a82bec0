"""The escalation journey: an officer records a forced entry at night; the level rises on the case page
and the reason cites the incident's number in the case; the supervisor's dashboard lists the case under
its level, and the figure leads to the case."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def texted_case(officer):
    """A case with a victim, a suspect and one text a week ago: no sign of escalation yet."""
    from casework.services.cases import case_open
    from casework.services.incidents import IncidentInput, incident_record
    from casework.services.people import party_add, person_create
    from risk.services import escalation_refresh_case

    case = case_open(actor=officer, title="Ex-partner will not leave her alone", is_stalking=True)
    victim = person_create(actor=officer, first_name="Amy", last_name="Lee")
    suspect = person_create(actor=officer, first_name="Mark", last_name="Dunn")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="ex_partner")
    party_add(actor=officer, case=case, person=suspect, role="suspect")
    data = IncidentInput(occurred_at=timezone.now() - timedelta(days=7), channel="text", victim_id=victim.pk)
    incident_record(actor=officer, case=case, data=data)
    escalation_refresh_case(case.pk)
    return case


def test_forced_entry_at_night_raises_the_level_citing_the_incident_and_the_dashboard_lists_it(
    page, live_server, officer, supervisor, texted_case, sign_in, screenshot, console_errors
):
    page.set_default_timeout(10_000)
    sign_in("officer")
    case_url = f"{live_server.url}/cases/{texted_case.pk}/"
    page.goto(case_url)
    expect(page.locator(".app-risk-panel")).to_contain_text("Escalation: None")

    page.get_by_role("link", name="Log with behaviours, threats and more").click()
    last_night = timezone.localtime(timezone.now() - timedelta(hours=8)).replace(hour=2, minute=40)
    page.get_by_label("When did it happen?").fill(last_night.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("How", exact=True).select_option("in_person")
    page.get_by_label("Did he get in, or try to?").select_option("forced")
    page.get_by_label("Into").select_option("home")
    page.get_by_label("At night").check()
    page.get_by_label("What happened").fill("Kicked the back door in at 2:40 and stood at the foot of the stairs")
    screenshot("escalation-01-forced-entry")
    page.get_by_role("button", name="Log incident").click()
    expect(page.get_by_text("Incident logged")).to_be_visible()

    panel = page.locator(".app-risk-panel")
    expect(panel).to_contain_text("Escalation: Critical")
    expect(panel).to_contain_text("At least critical: he got into her home at night (incident #2)")
    expect(panel).to_contain_text("Forced entry into her home (incident #2)")
    expect(panel).to_contain_text("Act today")  # what the level means for the grade and the review
    screenshot("escalation-02-level-rose")
    page.get_by_role("link", name="Risk assessments and escalation").click()
    expect(page.locator(".app-escalation-trajectory")).to_contain_text("None → Critical")
    page.get_by_role("button", name="Sign out").click()

    sign_in("supervisor")
    page.goto(f"{live_server.url}/dashboard/")
    critical = page.locator("#cases-by-escalation tr").filter(has_text="Critical")
    expect(critical.get_by_role("link")).to_have_text(re.compile(r"^1\b"))
    screenshot("escalation-03-dashboard")
    critical.get_by_role("link").click()
    row = page.locator("tbody tr").filter(has_text=texted_case.reference)
    expect(row).to_contain_text("Critical")
    row.get_by_role("link", name=texted_case.reference).click()
    expect(page.locator(".app-escalation-signals")).to_contain_text("Intrusion into her home")
    screenshot("escalation-04-case-risk")
    assert console_errors == []
