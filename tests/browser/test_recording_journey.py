"""The recording journey: the officer sees stalking advice on a case recorded as harassment; the
registrar finds it in the audit queue and reclassifies it to s.2A."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gym_case(officer):
    """A man followed a woman home from the gym, found her Facebook and messaged her under another name."""
    from casework.services.cases import case_open
    from casework.services.incidents import IncidentInput, incident_record
    from casework.services.people import party_add, person_create

    case = case_open(actor=officer, title="Followed from the gym, messaged on Facebook", is_harassment=True)
    victim = person_create(actor=officer, first_name="Amy", last_name="Lee")
    suspect = person_create(actor=officer, first_name="Mark", last_name="Dunn")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="stranger")
    party_add(actor=officer, case=case, person=suspect, role="suspect")
    now = timezone.now()
    for days_ago, channel, behaviours, narrative in [
        (21, "loitering", ["following"], "Followed her from the gym to her street"),
        (14, "social_media", ["contacting", "monitoring"], "Found her Facebook profile and messaged her"),
        (7, "social_media", ["contacting", "publishing"], "Messaged her again under another identity"),
    ]:
        incident_record(
            actor=officer,
            case=case,
            data=IncidentInput(
                occurred_at=now - timedelta(days=days_ago),
                channel=channel,
                behaviours=behaviours,
                victim_id=victim.pk,
                narrative=narrative,
            ),
        )
    return case


@pytest.fixture
def recorded_as_harassment(officer, gym_case):
    from recording.services import crime_record_create

    crime_record_create(
        actor=officer,
        case=gym_case,
        offence="pha_1997_s2",
        rationale="Unwanted messages after following her",
        override_reason="Messages are the main complaint; victim statement to follow",
    )
    return gym_case


def test_stalking_recorded_as_harassment_is_found_and_reclassified(
    page, live_server, officer, registrar, recorded_as_harassment, sign_in, screenshot, console_errors
):
    gym_case = recorded_as_harassment
    records_url = f"{live_server.url}/recording/cases/{gym_case.pk}/"

    sign_in("officer")
    # The case page itself carries the live advice, with its reasons.
    page.goto(f"{live_server.url}/cases/{gym_case.pk}/")
    on_case_page = page.locator("section.app-advice")
    expect(on_case_page.get_by_role("heading", name="Consider 8Q stalking (PHA 1997 s.2A)")).to_be_visible()
    expect(on_case_page.get_by_text("s.2A(3)(a) following").first).to_be_visible()
    screenshot("rec-00-case-page-advice")
    page.get_by_role("link", name="Crime recording").click()
    expect(page).to_have_url(records_url)
    advice = page.locator("section.app-advice")
    expect(advice.get_by_role("heading", name="Consider 8Q stalking (PHA 1997 s.2A)")).to_be_visible()
    expect(advice.get_by_text("s.2A(3)(a) following").first).to_be_visible()
    expect(advice.get_by_role("link", name=re.compile(r"^incident \d+$")).first).to_be_visible()
    expect(page.get_by_role("cell", name="8L Harassment")).to_be_visible()
    screenshot("rec-01-advice")
    page.get_by_role("button", name="Sign out").click()

    sign_in("registrar")
    page.goto(f"{live_server.url}/recording/audit-queue/")
    expect(page.get_by_role("heading", level=1, name="Recording audit queue")).to_be_visible()
    entry = page.locator("li.app-queue__entry", has=page.get_by_role("link", name=gym_case.reference))
    expect(entry).to_have_count(1)
    expect(entry.get_by_text("Consider 8Q stalking (PHA 1997 s.2A)")).to_be_visible()
    entry.get_by_text("Why the advice suggests this").click()
    expect(entry.get_by_text("s.2A(3)(a) following").first).to_be_visible()
    screenshot("rec-02-queue")

    entry.get_by_role("radio", name="Reclassify").check()
    expect(entry.get_by_label("Reclassify to")).to_have_value("pha_1997_s2a")
    entry.get_by_label("Reason for the decision").fill("Following and monitoring her online: this is stalking")
    entry.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has left the audit queue")
    expect(page.get_by_role("link", name=gym_case.reference)).to_have_count(0)
    screenshot("rec-03-after")

    page.goto(records_url)
    history = page.locator("table", has=page.get_by_role("columnheader", name="From"))
    expect(history.get_by_role("cell", name="8L Harassment")).to_be_visible()
    expect(history.get_by_role("cell", name="8Q Stalking")).to_be_visible()
    expect(history).to_contain_text("this is stalking")

    page.goto(f"{live_server.url}/recording/statistics/")
    expect(page.get_by_role("img", name="Harassment and stalking records per month")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Reclassified")
    screenshot("rec-04-statistics")


def test_recording_against_a_counting_rule_asks_for_the_reason(
    page, live_server, officer, gym_case, sign_in, screenshot, console_errors
):
    sign_in("officer")
    page.goto(f"{live_server.url}/recording/cases/{gym_case.pk}/")
    page.get_by_role("button", name="Record a crime").click()
    page.get_by_label("Offence").select_option("pha_1997_s2")
    page.get_by_label("Why is the crime recorded this way?").fill("Unwanted messages after following her")
    page.get_by_role("button", name="Record the crime").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_role("region", name="Counting rules")).to_contain_text("Nothing has been saved")
    screenshot("rec-05-warning")
    # The form comes back with status 400 by design; Chromium logs that one as a failed resource.
    assert console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    console_errors.clear()
    page.get_by_label("Keep this classification because…").fill("Victim statement to follow; will review")
    page.get_by_role("button", name="Record the crime").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Crime recorded")
    expect(page.get_by_role("cell", name="Victim statement to follow; will review")).to_be_visible()
