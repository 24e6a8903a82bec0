"""The protection journey: an officer proposes a restraining order with two conditions, each with why it
is needed and what the victim said; applies for an interim SPO and downloads its application PDF; gets
it granted and served, logs a breach and sees it on the timeline with the prompt to consider the
substantive offence."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stalking_case(officer, risk_forms):
    from casework.services.cases import case_open
    from casework.services.incidents import IncidentInput, incident_record
    from casework.services.people import party_add, person_create

    case = case_open(actor=officer, title="Ex-partner following her to work", is_stalking=True)
    victim = person_create(actor=officer, first_name="Amy", last_name="Lee")
    suspect = person_create(actor=officer, first_name="Mark", last_name="Dunn")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="ex_partner")
    party_add(actor=officer, case=case, person=suspect, role="suspect")
    for days, channel, count in ((20, "text", 43), (12, "loitering", 1), (5, "email", 6)):
        incident_record(
            actor=officer,
            case=case,
            data=IncidentInput(
                occurred_at=timezone.now() - timedelta(days=days), channel=channel, count=count, victim_id=victim.pk,
                behaviours=["contacting"] if channel != "loitering" else ["loitering", "watching"],
            ),
        )  # fmt: skip
    return case


def _add_condition(page, kind: str, why: str, view: str) -> None:
    page.get_by_role("button", name="Add a condition").click()
    page.get_by_label(kind).check()
    page.get_by_label("Amy Lee").check()
    page.get_by_label("Why this condition is needed").fill(why)
    page.get_by_label("Wants this condition").check()
    page.get_by_label("When she was asked").fill(timezone.localdate().isoformat())
    page.get_by_label("In her words").fill(view)
    page.get_by_role("button", name="Add the condition").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def _step(page, label: str, **fields) -> None:
    """Open the lifecycle step's section on the order page, fill it and submit it."""
    section = page.locator("details", has=page.get_by_text(label, exact=True))
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    for name, value in fields.items():
        field = section.get_by_label(name)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    section.get_by_role("button", name=label).click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def _consider(page, title: str) -> None:
    hint = page.locator(".app-suggestion").filter(has=page.get_by_role("heading", name=title, exact=True))
    hint.get_by_text("Consider this order").click()
    page.get_by_label("Amy Lee").check()
    page.get_by_label("Court").fill("Birmingham Magistrates' Court")
    page.get_by_role("button", name="Consider the order").click()
    expect(page.locator("h1")).to_contain_text(title)


def test_an_officer_protects_a_stalking_victim_and_records_a_breach(
    page, live_server, officer, stalking_case, sign_in, screenshot, console_errors, tmp_path
):
    case = stalking_case
    sign_in("officer")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Protection", exact=True).click()
    expect(page.get_by_role("heading", name="Orders to consider")).to_be_visible()
    screenshot("protection-01-hints")

    # A restraining order proposed at charge, with two conditions, each with why and her view.
    _consider(page, "Restraining order on conviction")
    _add_condition(page, "No contact, direct or indirect", "He has texted her 43 times in a day.",
                   "She wants no contact of any kind, including through friends.")  # fmt: skip
    _add_condition(page, "Not to follow, watch or loiter", "He waited outside her work twice.",
                   "She wants him kept away from her route to work.")  # fmt: skip
    expect(page.get_by_text("He has texted her 43 times in a day.")).to_be_visible()
    expect(page.get_by_text("She wants him kept away from her route to work.")).to_be_visible()
    screenshot("protection-02-restraining-order-conditions")

    # An interim SPO: grounds, a prohibition, drafted, its application prepared and downloaded.
    page.get_by_role("link", name="Back to protection").click()
    _consider(page, "Interim Stalking Protection Order")
    page.get_by_label("Acts associated with stalking he has carried out").fill(
        "Repeated texts and e-mails, waiting outside her workplace."
    )
    page.get_by_label("The risk associated with stalking he poses").fill("Fixated ex-partner; escalating contact.")
    page.get_by_label("Why the order is necessary to protect her from that risk").fill(
        "Bail conditions end next week; she is frightened to go to work."
    )
    page.get_by_role("button", name="Save court, hearing and grounds").click()
    _add_condition(page, "No contact, direct or indirect", "Contact is the core of the stalking.",
                   "She wants no contact at all.")  # fmt: skip
    _step(page, "Draft the application")
    page.get_by_role("button", name="Prepare the application (PDF)").click()
    download_link = page.get_by_role("link", name="Download Application for an interim Stalking Protection Order")
    expect(download_link.first).to_be_visible(timeout=15000)
    screenshot("protection-03-spo-application-ready")
    with page.expect_download() as download_info:
        download_link.first.click()
    pdf = tmp_path / "application.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "application for an interim stalking protection order" in " ".join(text.lower().split())
    assert "Mark Dunn" in text and "escalating contact" in text

    # Applied for, granted for 3 months, served; then he texts her.
    page.get_by_role("link", name="Back to the order").click()
    _step(page, "Record the application")
    _step(page, "Record the grant", Duration="3", Unit="months")
    _step(page, "Record service on the respondent")
    page.get_by_role("button", name="Log a breach of this order").click()
    page.get_by_label("How", exact=True).select_option("text")
    page.get_by_label("What happened").fill("Text: 'You can't stop me seeing you.'")
    page.get_by_role("button", name="Log the breach").click()

    prompt = page.locator("#substantive-title")
    expect(prompt).to_have_text("Consider the substantive offence")
    screenshot("protection-04-breach-prompt")

    page.get_by_role("link", name="Overview").click()
    expect(page.locator("main")).to_contain_text("Breach of Interim Stalking Protection Order")
    screenshot("protection-05-timeline-breach")
