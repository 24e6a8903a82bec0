"""Signing in through the force's identity provider in Chromium: the service's sign-in page, the
provider's own page (a real OIDC provider process on 127.0.0.1, tests/oidc_provider.py), and back."""

import pytest
from playwright.sync_api import expect

from tests.oidc_provider import PASSWORD, running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP_MAP = {
    "sg-stalking-supervisors": {"role": "supervisor", "unit": "stalking-unit"},
    "sg-stalking-officers": {"role": "officer", "unit": "stalking-unit"},
}


@pytest.fixture(scope="module")
def provider():
    with running() as provider:
        provider.add("sub-officer", "p.shah", ["sg-stalking-officers"], given_name="Priya", family_name="Shah")
        provider.add("sub-supervisor", "d.okafor", ["sg-stalking-supervisors"], given_name="Dami", family_name="Okafor")
        yield provider


@pytest.fixture
def force_sign_in(page, live_server, provider, settings, unit):
    for name, value in provider.settings(GROUP_MAP).items():
        setattr(settings, name, value)
    settings.REQUIRE_MFA = True  # the provider's second factor stands in for ours

    def as_person(username: str) -> None:
        page.goto(f"{live_server.url}/")
        expect(page).to_have_url(f"{live_server.url}/account/login/?next=/")
        page.get_by_role("button", name="Sign in with Test Force").click()
        expect(page.get_by_role("heading", name="Test Force sign-in")).to_be_visible()
        assert page.url.startswith(f"{provider.issuer}/authorize?")
        page.get_by_label("Force username").fill(username)
        page.get_by_label("Force password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()

    return as_person


def test_an_officer_signs_in_through_the_force_identity_provider(
    page, live_server, force_sign_in, screenshot, console_errors
):
    force_sign_in("p.shah")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Priya Shah")).to_be_visible()
    expect(page.get_by_text("Stalking and Harassment Unit").first).to_be_visible()
    expect(page.get_by_role("link", name="Cases", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_have_count(0)  # an officer's view
    screenshot("oidc-01-officer-home")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/account/login/")


def test_a_supervisor_signs_in_through_the_force_identity_provider(
    page, live_server, force_sign_in, screenshot, console_errors
):
    page.goto(f"{live_server.url}/account/login/")
    screenshot("oidc-02-sign-in-page")

    force_sign_in("d.okafor")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Dami Okafor")).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()  # a supervisor's view
    screenshot("oidc-03-supervisor-home")


def test_a_person_in_no_mapped_group_is_told_why_on_the_sign_in_page(
    page, live_server, provider, force_sign_in, screenshot, console_errors
):
    provider.add("sub-hr", "h.resources", ["sg-human-resources"])

    force_sign_in("h.resources")

    expect(page).to_have_url(f"{live_server.url}/account/login/")
    expect(page.get_by_text("not in a group that gives a role in this service")).to_be_visible()
    screenshot("oidc-04-refused")
