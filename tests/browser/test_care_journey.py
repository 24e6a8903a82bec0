"""The care journey (product.md journey 5): the officer refers the victim to a stalking advocacy service
with her consent; the advocate signs in, sees only the victim-safe view, adds a safety plan measure and
passes on an incident the victim told her about; the officer accepts it onto the course of conduct."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def referred_case(officer, advocate):
    from casework.services.cases import case_open
    from casework.services.incidents import IncidentInput, incident_record
    from casework.services.people import party_add, person_create

    case = case_open(actor=officer, title="Ex-partner waiting outside her flat", is_stalking=True)
    victim = person_create(actor=officer, first_name="Amy", last_name="Lee")
    suspect = person_create(actor=officer, first_name="Mark", last_name="Dunn")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="ex_partner")
    party_add(actor=officer, case=case, person=suspect, role="suspect")
    incident_record(
        actor=officer, case=case,
        data=IncidentInput(occurred_at=timezone.now() - timedelta(days=6), channel="loitering", victim_id=victim.pk,
                           narrative="Intelligence: he was seen with a known associate nearby."),
    )  # fmt: skip
    advocate.organisation.name = "Paladin"
    advocate.organisation.save(update_fields=["name"])
    return case


def test_an_advocate_supports_a_referred_victim_and_passes_on_what_she_was_told(
    page, live_server, referred_case, sign_in, screenshot, console_errors
):
    case = referred_case
    sign_in("officer")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Victim contact", exact=True).click()
    page.get_by_label("Service", exact=True).select_option(label="Independent stalking advocate (ISAC)")
    page.get_by_label("Organisation").select_option(label="Paladin")
    page.locator("fieldset", has_text="She agrees to her details being shared").get_by_label("Yes").check()
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Paladin")
    screenshot("care-01-referred-with-consent")
    page.get_by_role("button", name="Sign out").click()

    # The advocate: her referred victims, the safe view, a safety measure, an incident passed on.
    sign_in("advocate")
    page.get_by_role("link", name="Referred victims").first.click()
    page.get_by_role("link", name=case.reference).first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Amy Lee")
    expect(main).not_to_contain_text("known associate")  # police narratives stay with the police
    page.get_by_label("Risk", exact=True).fill("He waits outside her flat in the mornings")
    page.get_by_role("textbox", name="Measure").fill("Her sister walks her to the bus stop; panic alarm requested")
    page.get_by_label("Who does it").fill("Amy and her sister")
    page.get_by_role("button", name="Add the measure").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(main).to_contain_text("Her sister walks her to the bus stop")
    when = (timezone.localtime() - timedelta(days=1)).replace(second=0, microsecond=0)
    page.get_by_label("When it happened").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("How he made contact").select_option("text")
    page.get_by_label("How many times").fill("4")
    page.get_by_label("What she said happened").fill("Four texts in the night saying he is watching her.")
    page.get_by_role("button", name="Pass it on to the officer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(main).to_contain_text("Awaiting the officer's review")
    screenshot("care-02-advocate-safe-view")
    assert page.request.get(f"{live_server.url}/cases/{case.pk}/").status == 404  # not the case file
    page.get_by_role("button", name="Sign out").click()

    # The officer accepts it onto the course of conduct.
    sign_in("officer")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="1 incident passed on by the advocate to review").click()
    screenshot("care-03-passed-on-review")
    page.get_by_role("link", name="Accept").first.click()
    expect(page.get_by_label("What happened (her account, as passed on)")).to_have_value(
        "Four texts in the night saying he is watching her."
    )
    page.get_by_role("button", name="Accept onto the course of conduct").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("main")).not_to_contain_text("passed on by the advocate to review")
    expect(page.locator("main")).to_contain_text("Text message ×4")  # on the course of conduct, counted as 4
    screenshot("care-04-on-the-timeline")
