"""The handover journey (product.md journey 4): the protocol checklist shows what the file is missing;
the officer completes it and sends the charging request; the CPS lawyer finds it in her queue,
downloads the pack (the DASH attached, the victim's view of each restraining-order condition), raises
an action and records the charging decision, and cannot open the case itself; the officer answers the
action and sees the decision on the course of conduct."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case_to_hand_over(officer, lawyer, risk_forms):
    """A stalking case with everything the protocol asks for except the officer's own file (MG5, VPS...)."""
    from casework.tests.factories import CaseFactory
    from protocol.models import HandoverPreparation
    from protocol.tests.factories import make_ready

    case = CaseFactory(unit=officer.unit, officer=officer, title="Ex-partner following her to work")
    make_ready(case)
    HandoverPreparation.objects.filter(case=case).delete()
    lawyer.first_name, lawyer.last_name = "Grace", "Adeyemi"
    lawyer.save(update_fields=["first_name", "last_name"])
    return case


def _pdf_text(download, tmp_path) -> str:
    pdf = tmp_path / "pack.pdf"
    download.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_an_officer_hands_a_stalking_case_to_the_cps_who_decides_to_charge(
    page, live_server, case_to_hand_over, sign_in, screenshot, console_errors, tmp_path
):
    case = case_to_hand_over
    sign_in("officer")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Handover", exact=True).click()
    checklist = page.locator("#checklist")
    expect(checklist).to_contain_text("MG5")
    expect(page.locator("#send")).to_contain_text("Complete them, or ask a supervisor to send it.")
    screenshot("handover-01-checklist-missing")

    # The officer's part of the file: offences, MG5 summary, the VPS offered, special measures assessed.
    page.get_by_label("Stalking (PHA 1997 s.2A)").check()
    page.get_by_label("Headline").fill("He stalked his former partner for six weeks after she left him.")
    page.get_by_label("Key witnesses").fill("Her sister saw him waiting outside her work on two mornings.")
    page.get_by_label("Interview summary").fill("No comment to all questions.")
    page.get_by_label("Offered; she will give it later").check()
    page.get_by_label("Date of the decision on the statement").fill(timezone.localdate().isoformat())
    page.get_by_label("Assessed: none needed").check()
    page.get_by_label("Date special measures were assessed with her").fill(timezone.localdate().isoformat())
    page.get_by_label("The risk the suspect poses").fill("Fixated; bail conditions keep him away from her.")
    page.get_by_role("button", name="Save the preparation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_role("button", name="Send the charging request")).to_be_visible()
    screenshot("handover-02-checklist-complete")

    lawyers = page.get_by_label("CPS lawyer")
    lawyers.select_option(lawyers.locator("option", has_text="Grace Adeyemi").get_attribute("value"))
    page.get_by_label("Green", exact=True).check()
    page.get_by_label("Your request to the prosecutor").fill("Please advise on a charge under s.2A or s.4A.")
    page.get_by_role("button", name="Send the charging request").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator("#requests")).to_contain_text("Grace Adeyemi")
    screenshot("handover-03-sent")
    page.get_by_role("button", name="Sign out").click()

    # The prosecutor: her queue, the pack, an action for the police, the decision.
    sign_in("lawyer")
    page.get_by_role("link", name="Charging requests").first.click()
    expect(page.locator("main")).to_contain_text(case.reference)
    screenshot("handover-04-cps-queue")
    page.get_by_role("link", name=case.reference).first.click()
    download_link = page.get_by_role("link", name=f"Download Charging pack for {case.reference}")
    expect(download_link).to_be_visible(timeout=15000)
    with page.expect_download() as download_info:
        download_link.click()
    text = _pdf_text(download_info.value, tmp_path)
    assert "He stalked his former partner for six weeks" in text
    assert "MG5" in text and "MG6" in text and "NOT FOR DISCLOSURE" in text
    assert "Restraining order on conviction" in text and "Restraining order on acquittal" in text
    assert "Fit a panic alarm" in text  # the risk management plan travels with the DASH

    page.get_by_label("What must the police do or supply?").fill("A statement from her sister.")
    page.get_by_label("Due by").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Raise the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.get_by_label("Charge", exact=True).check()
    page.get_by_label("Full Code Test").check()
    page.get_by_label("Stalking (PHA 1997 s.2A)").check()
    page.get_by_label("Rationale").fill("Evidential stage met on her account and the texts; public interest.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1")).to_contain_text("Decided")
    screenshot("handover-05-decided")

    # At court he offers to plead to harassment: accepting it needs an approver and both consultations.
    page.get_by_label("Offence charged").select_option("pha_s2a")
    page.get_by_label("Offence the plea is offered to").select_option("pha_s2")
    page.get_by_label("Accept the plea").check()
    page.get_by_label("Rationale").fill("He admits the conduct; she does not want to give evidence at a trial.")
    page.get_by_role("button", name="Record the plea decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Name the senior prosecutor who approved")
    screenshot("handover-06-plea-needs-consultation")
    # The form comes back with status 400 by design; Chromium logs that one as a failed resource.
    assert console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    console_errors.clear()
    page.get_by_label("Approved by").fill("Senior Crown Prosecutor J. Okafor")
    today = timezone.localdate().isoformat()
    page.get_by_label("Date the victim was consulted").fill(today)
    page.get_by_label("The victim's view of the plea").fill("She accepts it if the restraining order is made.")
    page.get_by_label("Date the police were consulted").fill(today)
    page.get_by_label("The police's view of the plea").fill("The OIC agrees, given the restraining order.")
    page.get_by_role("button", name="Record the plea decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert page.request.get(f"{live_server.url}/cases/{case.pk}/").status == 404  # the case file stays closed
    page.get_by_role("button", name="Sign out").click()

    # The officer answers the action; the decision is on the course of conduct.
    sign_in("officer")
    page.goto(f"{live_server.url}/protocol/cases/{case.pk}/handover/")
    page.locator("#requests").get_by_role("link").first.click()
    page.get_by_label("Your answer").fill("Statement taken on the 24th, exhibit SJ/1.")
    page.get_by_role("button", name="Answer action 1").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text("CPS decision: Charge")
    screenshot("handover-07-timeline-decision")
