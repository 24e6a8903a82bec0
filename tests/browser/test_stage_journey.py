"""The journey cannot skip its safeguards (issue 13): the CPS decided to charge; the officer tries to move the
case to "charged" from the case page, is sent to the handover's Decisions page, is refused until the
restraining-order decision at charge is recorded, and then charges: the case page shows it charged."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case_the_cps_charges(officer, lawyer, risk_forms):
    from casework.tests.factories import CaseFactory
    from protocol.tests.factories import charged_by_cps, make_ready

    case = CaseFactory(unit=officer.unit, officer=officer, title="Ex-partner waiting outside her work")
    make_ready(case)
    charged_by_cps(case, lawyer)
    return case


def test_an_officer_is_sent_from_the_stage_to_the_handover_to_record_the_charge(
    page, live_server, case_the_cps_charges, sign_in, screenshot, console_errors
):
    case = case_the_cps_charges
    sign_in("officer")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_label("Charged")).to_have_count(0)  # not a move the generic form makes
    stage = page.locator("#owned-moves")
    expect(stage).to_contain_text("record the charge (after the CPS's decision to charge")
    screenshot("stage-01-case-page")
    stage.get_by_role("link", name="Charged").click()

    expect(page).to_have_url(f"{live_server.url}/protocol/cases/{case.pk}/decisions/")
    expect(page.locator(".govuk-service-navigation, nav").get_by_role("link", name="Handover").first).to_be_visible()
    expect(page.locator("#cps-charge")).to_contain_text("The CPS decided to charge")
    page.get_by_label("The CPS decided to charge").check()
    page.get_by_role("button", name="Record the charge").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say whether a restraining order is sought at charge")
    screenshot("stage-02-refused-without-restraining-order")
    assert console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    console_errors.clear()

    page.get_by_label("Yes: a restraining order is sought").check()
    orders = page.get_by_label("The restraining order sought")
    orders.select_option(orders.locator("option", has_text="Restraining order on conviction").get_attribute("value"))
    page.get_by_role("button", name="Record the charge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The case is charged.")
    expect(page.locator("main")).to_contain_text("Charged with Stalking causing serious alarm or distress")
    expect(page.locator("main")).to_contain_text("Restraining order at charge: sought")
    screenshot("stage-03-charged")
    case.refresh_from_db()
    assert case.stage == "charged"
