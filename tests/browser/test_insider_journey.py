"""The insider journey (threat model): an officer of another unit searches for a victim who moved to escape
her stalker, sees only her name, year of birth and whom to contact, links her into a case of his own and
still sees none of her sealed details; her officer in the case is alerted, sees who has looked at her and
marks it checked."""

from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEALED_ADDRESS = "17 Hiddenway Close, Walsall WS1 9ZZ"


@pytest.fixture
def hidden_victim(officer, case):
    from casework.services.people import IdentifierInput, party_add, person_create

    case.title = "Ex-partner tracking her after she moved"
    case.save(update_fields=["title"])
    victim = person_create(
        actor=officer,
        case=case,
        first_name="Jane",
        last_name="Hidden",
        date_of_birth=date(1990, 5, 17),
        identifiers=[
            IdentifierInput("address", SEALED_ADDRESS, sealed=True),
            IdentifierInput("phone", "07700 900102", sealed=True),
        ],
    )
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="ex_partner")
    return victim


@pytest.fixture
def insiders_case(stranger):
    from casework.services.cases import case_open

    return case_open(actor=stranger, title="Neighbour dispute")


def test_an_insider_finds_and_links_her_but_sees_no_sealed_detail_and_her_officer_is_told(
    page, live_server, hidden_victim, insiders_case, case, sign_in, screenshot, console_errors
):
    sign_in("stranger")
    page.goto(f"{live_server.url}/cases/{insiders_case.pk}/")
    page.get_by_role("link", name="Add a person").first.click()
    page.get_by_label("Witness").check()
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Last name").fill("Hidden")
    page.get_by_role("textbox", name="Phone number").fill("07700900102")  # her sealed number: must not help him
    page.get_by_role("button", name="Search for this person").click()
    main = page.locator("main")
    expect(main).to_contain_text("Born in 1990")
    expect(main).to_contain_text("Known in 1 case of other units – contact: Stalking and Harassment Unit")
    expect(main).not_to_contain_text("17 May")
    expect(main).not_to_contain_text("same phone number")
    screenshot("insider-01-limited-search-result")
    page.get_by_role("button", name="Link this person (Jane Hidden)").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Jane Hidden added as witness")
    page.get_by_role("link", name="Jane Hidden").first.click()
    expect(main).to_contain_text("Jane Hidden")
    for secret in ("Hiddenway", "WS1 9ZZ", "900102"):
        expect(main).not_to_contain_text(secret)
    expect(page.get_by_role("button", name="Show sealed details")).to_have_count(0)
    screenshot("insider-02-linked-no-sealed-details")
    page.get_by_role("button", name="Sign out").click()

    sign_in("officer")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(main).to_contain_text("Victim looked up by someone outside the case")
    page.get_by_role("link", name="Who has looked").click()
    to_check = page.locator("#to-check")
    expect(to_check).to_contain_text("Linked her to another case")
    expect(to_check).to_contain_text("Found her in a person search")
    expect(to_check).to_contain_text(insiders_case.reference)
    expect(page.locator("#looks")).to_contain_text("Outside this case")
    screenshot("insider-03-who-has-looked")
    page.get_by_role("button", name="I have checked these look-ups").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("marked as checked")
    expect(main).to_contain_text("None to check.")
