"""The issue's "Done when": report to record, in a real browser on a tablet-sized screen."""

import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixels = b"".join(b"\x00" + b"\x1d\x70\xb8" * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def older_case_with_mark_reeve(officer):
    from casework.choices import PartyRole
    from casework.services.cases import case_open
    from casework.services.people import IdentifierInput, party_add, person_create

    older = case_open(actor=officer, title="Harassment of a former partner (2024)", is_harassment=True)
    mark = person_create(
        actor=officer,
        first_name="Mark",
        last_name="Reeve",
        identifiers=[IdentifierInput(kind="phone", value="07700 900456")],
    )
    party_add(actor=officer, case=older, person=mark, role=PartyRole.SUSPECT)
    return older


def _local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() - delta).strftime("%Y-%m-%dT%H:%M")


def test_an_officer_records_a_course_of_conduct(
    page, live_server, officer, older_case_with_mark_reeve, sign_in, screenshot, console_errors
):
    page.set_default_timeout(10_000)
    sign_in("officer")
    expect(page.get_by_role("link", name=older_case_with_mark_reeve.reference)).to_be_visible()
    screenshot("coc-01-home")

    # Open the case.
    page.get_by_role("button", name="Open a new case").click()
    page.get_by_label("Case title").fill("Followed and messaged by ex-partner")
    page.get_by_label("Stalking").check()
    screenshot("coc-02-open-case")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("opened. Add the victim and the suspect next.")).to_be_visible()
    case_url = page.url
    screenshot("coc-03-new-case")

    # The victim: nobody similar is known, so a new person.
    page.get_by_role("link", name="Add a person").first.click()
    page.get_by_label("Victim", exact=True).check()
    page.get_by_label("Relationship to the suspect").select_option(label="Ex intimate partner")
    page.get_by_label("First name").fill("Sarah")
    page.get_by_label("Last name").fill("Collins")
    page.get_by_role("textbox", name="Phone number").fill("07700 900123")
    page.get_by_role("button", name="Search for this person").click()
    expect(page.get_by_role("heading", name="No one similar is known")).to_be_visible()
    screenshot("coc-04-victim-search")
    page.get_by_role("button", name="Create a new person").click()
    expect(page.get_by_text("Sarah Collins added as victim.")).to_be_visible()

    # The suspect: found as an existing person from the older case, and linked.
    page.get_by_role("link", name="Add a person").first.click()
    page.get_by_label("Suspect", exact=True).check()
    page.get_by_label("First name").fill("Mark")
    page.get_by_label("Last name").fill("Reeve")
    page.get_by_role("textbox", name="Phone number").fill("07700900456")
    page.get_by_role("button", name="Search for this person").click()
    candidate = page.locator(".app-candidate").filter(has_text="Mark Reeve")
    expect(candidate).to_contain_text("same name, same phone number")
    screenshot("coc-05-suspect-candidates")
    candidate.get_by_role("button", name="Link this person").click()
    expect(page.get_by_text("Mark Reeve added as suspect.")).to_be_visible()
    expect(page.locator(".app-tag-list").get_by_text("Repeat suspect")).to_be_visible()

    # Five incidents through the quick-log form, one of them a line of 40 texts.
    incidents = [
        (timedelta(days=12), "loitering", "1", "Waiting outside her work"),
        (timedelta(days=9), "phone_call", "3", "Three missed calls at night"),
        (timedelta(days=6), "in_person", "1", "Followed her home from the station"),
        (timedelta(days=3), "social_media", "2", "Messages from a new account"),
        (timedelta(days=1), "text", "40", "40 texts in one day asking where she is"),
    ]
    for delta, channel, count, narrative in incidents:
        page.locator("#quick_occurred_at").fill(_local(delta))
        assert page.locator("#quick_victim").input_value() != ""  # the only victim, preselected
        page.locator("#quick_channel").select_option(channel)
        page.locator("#quick_count").fill(count)
        page.locator("#quick_narrative").fill(narrative)
        page.get_by_role("button", name="Log incident").click()
        expect(page.get_by_text("Incident logged")).to_be_visible()
    screenshot("coc-06-incidents-logged")

    # A screenshot of the messages as evidence.
    page.get_by_role("button", name="Upload evidence").first.click()
    page.get_by_label("Choose the file").set_input_files(
        {"name": "texts-screenshot.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_label("What does it show?").fill("Screenshot of the 40 texts")
    screenshot("coc-07-upload")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Exhibit PS/1 uploaded.")).to_be_visible()
    expect(page.get_by_role("link", name="PS/1", exact=True)).to_be_visible()
    screenshot("coc-08-evidence")

    # The case page: course of conduct banner, rhythm chart, repeat-suspect tag.
    page.goto(case_url)
    banner = page.locator(".app-conduct-banner")
    expect(banner).to_contain_text("Course of conduct: 5 occasions (47 contacts) over 12 days")
    expect(banner).to_contain_text("(PHA 1997 s.7)")
    chart = page.locator("svg.app-rhythm-chart")
    expect(chart).to_be_visible()
    assert chart.locator("rect.app-rhythm-chart__bar").count() >= 1
    expect(page.locator(".app-tag-list").get_by_text("Repeat suspect")).to_be_visible()
    expect(page.locator(".moj-timeline")).to_contain_text("Text message ×40")
    screenshot("coc-09-case-page")
