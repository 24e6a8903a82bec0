"""The risk journey: an officer assesses a stalking victim with DASH and the stalking questions, is
refused completion until the supplementary questions are answered, plans, completes as high risk; a
supervisor signs it off and the case page shows the risk panel."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED_400 = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


@pytest.fixture
def victim_case(officer, risk_forms):
    from casework.services.cases import case_open
    from casework.services.people import party_add, person_create
    from risk.services import escalation_refresh

    case = case_open(actor=officer, title="Ex-partner turning up at work", is_harassment=True)
    victim = person_create(actor=officer, first_name="Amy", last_name="Lee")
    suspect = person_create(actor=officer, first_name="Mark", last_name="Dunn")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="ex_partner")
    party_add(actor=officer, case=case, person=suspect, role="suspect")
    escalation_refresh(case)
    return case


def _keys(kind: str) -> list[str]:
    from risk.questionnaires import builtin_forms_by_kind

    return [q.key for q in builtin_forms_by_kind()[kind].questions]


def test_an_officer_assesses_a_high_risk_victim_and_a_supervisor_signs_off(
    page, live_server, officer, supervisor, victim_case, sign_in, screenshot, console_errors
):
    sign_in("officer")
    page.goto(f"{live_server.url}/cases/{victim_case.pk}/")
    page.get_by_role("link", name="Risk", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/risk/cases/{victim_case.pk}/")
    expect(page.get_by_label("Victim")).to_contain_text("Amy Lee")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Risk assessment started")

    dash = _keys("dash")
    for n, key in enumerate(dash):
        page.check(f"#id_{key}_{'yes' if n < 15 else 'no'}")
    page.check("#id_dash_8_yes")
    page.get_by_role("button", name="Complete the assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(re.compile(r"not answered: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"))
    expect(page.locator("#id_dash_8_yes")).to_be_checked()  # the answers were kept
    screenshot("risk-01-refused")
    assert console_errors == [REFUSED_400]
    console_errors.clear()

    for n, key in enumerate(_keys("stalking_supplementary")):
        page.check(f"#id_{key}_{'yes' if n < 4 else 'no'}")
    page.get_by_label("Risk", exact=True).fill("DASH 8: turning up at her work")
    page.get_by_label("Action", exact=True).fill("Target-harden the home; alarm with police response")
    page.get_by_label("Owner").fill("PC Shah")
    page.get_by_label("Due date").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action added")
    expect(page.locator("#id_sh_1_yes")).to_be_checked()  # adding the action saved the answers
    # The plan every grade needs besides its actions.
    page.get_by_label("Safety advice given to the victim").fill("Vary the route to work; call 999 if he is near.")
    page.get_by_label("Contact arrangement agreed with the victim").fill("Mobile, weekday evenings only.")
    page.get_by_label("Date of the next risk review").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("high risk")
    expect(page.get_by_text("MARAC referral required").first).to_be_visible()
    expect(page.locator(".app-grade--high").first).to_be_visible()
    screenshot("risk-02-high")
    page.get_by_role("button", name="Sign out").click()

    sign_in("supervisor")
    page.goto(f"{live_server.url}/risk/cases/{victim_case.pk}/")
    page.get_by_role("link", name=re.compile("Amy Lee")).click()
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("signed off")
    expect(page.get_by_text(re.compile("Signed off by"))).to_be_visible()
    screenshot("risk-03-signed")

    page.goto(f"{live_server.url}/cases/{victim_case.pk}/")
    panel = page.locator("section.app-risk-panel")
    expect(panel.locator(".app-grade--high")).to_have_text("High")
    expect(panel).to_contain_text("Escalation:")
    screenshot("risk-04-case")
