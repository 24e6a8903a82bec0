import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_sees_the_home_page_and_signs_out(
    page, live_server, officer, sign_in, screenshot, console_errors
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/account/login/?next=/")
    screenshot("login-01-sign-in")

    sign_in("officer")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Priya Shah")).to_be_visible()
    expect(page.get_by_text("Stalking and Harassment Unit").first).to_be_visible()
    screenshot("login-02-home")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/account/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/account/login/?next=/")


def test_a_wrong_password_shows_an_error_summary(page, live_server, officer, screenshot, console_errors):
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("not the right password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error:")
    screenshot("login-03-error")
