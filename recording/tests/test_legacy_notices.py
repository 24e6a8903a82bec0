"""Warning notices (PINs) are history only (issue 13, ADR 0003): none dated today (that would be issuing
one); one dated on or after the cut-off only with the reason, which a registrar accepts or rejects."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import Case, TimelineEvent
from casework.services.people import party_add, person_create
from recording.models import LegacyWarningNotice


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def suspect(officer, case):
    person = person_create(actor=officer, first_name="Mark", last_name="Reeve")
    party_add(actor=officer, case=case, person=person, role="suspect")
    return person


def _notice(case, suspect, issued_on: date, **extra) -> dict:
    return {
        "recipient_id": suspect.pk, "notice_type": "pin", "issued_on": issued_on.isoformat(), "issuing_force": "Avon",
    } | extra  # fmt: skip


def _url(case) -> str:
    return f"/api/v1/cases/{case.pk}/legacy-notices/"


def test_a_notice_dated_today_is_refused_as_issuing_one(api, officer, case, suspect):
    api.force_login(officer)
    refused = api.post(
        _url(case), _notice(case, suspect, timezone.localdate(), late_reason="Given today"), format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["issued_on"][0].startswith("A notice dated today would be a notice issued now")
    assert not LegacyWarningNotice.objects.exists()


def test_a_notice_before_the_cut_off_is_history_without_review(api, officer, case, suspect, settings):
    settings.LEGACY_NOTICE_CUTOFF = date(2026, 1, 1)
    api.force_login(officer)
    saved = api.post(_url(case), _notice(case, suspect, date(2025, 12, 31)), format="json")
    assert saved.status_code == 201 and saved.json()["review"] == ""


def test_a_notice_on_or_after_the_cut_off_needs_the_reason_and_awaits_a_registrar(
    api, officer, case, suspect, settings
):
    settings.LEGACY_NOTICE_CUTOFF = date(2026, 1, 1)
    api.force_login(officer)
    refused = api.post(_url(case), _notice(case, suspect, date(2026, 1, 1)), format="json")
    assert refused.status_code == 400
    assert "dated on or after 1 January 2026" in refused.json()["errors"]["late_reason"][0]
    assert not LegacyWarningNotice.objects.exists()
    reason = "Issued by West Mercia before he moved here; on their record"
    saved = api.post(_url(case), _notice(case, suspect, date(2026, 1, 1), late_reason=reason), format="json")
    assert saved.status_code == 201
    assert (saved.json()["review"], saved.json()["late_reason"]) == ("awaiting", reason)
    summary = TimelineEvent.objects.get(case=case, source_type="recording.legacywarningnotice").summary
    assert "awaiting a registrar's review" in summary


def test_without_a_setting_the_cut_off_is_when_the_force_opened_its_first_case(api, officer, case, suspect):
    first = Case.objects.create(reference="OLD-1", title="First case here", unit=case.unit, officer=officer)
    Case.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=30))
    api.force_login(officer)
    before = timezone.localdate() - timedelta(days=31)
    assert api.post(_url(case), _notice(case, suspect, before), format="json").status_code == 201
    since = timezone.localdate() - timedelta(days=10)
    refused = api.post(_url(case), _notice(case, suspect, since), format="json")
    assert refused.status_code == 400 and "late_reason" in refused.json()["errors"]


def test_a_registrar_accepts_or_rejects_with_a_reason_and_nobody_else_may(
    api, officer, supervisor, registrar, case, suspect, settings
):
    settings.LEGACY_NOTICE_CUTOFF = date(2026, 1, 1)
    api.force_login(officer)
    body = _notice(case, suspect, date(2026, 2, 1), late_reason="Another force's PIN")
    notice_id = api.post(_url(case), body, format="json").json()["id"]
    review = f"/api/v1/legacy-notices/{notice_id}/review/"
    for user in (officer, supervisor):
        api.force_login(user)
        assert api.post(review, {"accepted": True, "note": "Fine"}, format="json").status_code == 404
        assert api.get("/api/v1/recording/legacy-notices/").status_code == 404
    api.force_login(registrar)
    assert [n["id"] for n in api.get("/api/v1/recording/legacy-notices/").json()] == [notice_id]
    no_note = api.post(review, {"accepted": False, "note": " "}, format="json")
    assert no_note.status_code == 400 and no_note.json()["errors"] == {"note": ["Give the reason for the decision"]}
    rejected = api.post(review, {"accepted": False, "note": "No trace of it at West Mercia"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["review"] == "rejected"
    again = api.post(review, {"accepted": True, "note": "Found it"}, format="json")
    assert again.status_code == 400
    assert api.get("/api/v1/recording/legacy-notices/").json() == []


def test_the_registrar_reviews_on_the_page_with_an_error_summary_when_refused(
    client, officer, registrar, case, suspect, settings
):
    from django.urls import reverse

    from recording.services import legacy_notice_record

    settings.LEGACY_NOTICE_CUTOFF = date(2026, 1, 1)
    notice = legacy_notice_record(
        actor=officer, case=case, recipient=suspect, notice_type="harassment_warning", issued_on=date(2026, 3, 1),
        issuing_force="West Mercia", late_reason="Given by West Mercia; on their record",
    )  # fmt: skip
    client.force_login(registrar)
    page = client.get(reverse("recording:legacy-notices")).content.decode()
    assert "Given by West Mercia; on their record" in page and case.reference in page
    url = reverse("recording:legacy-notice-review", args=[notice.pk])
    refused = client.post(url, {f"n{notice.pk}-accepted": "yes", f"n{notice.pk}-note": ""})
    assert refused.status_code == 400
    assert "There is a problem" in refused.text and "Give the reason for the decision" in refused.text
    notice.refresh_from_db()
    assert notice.review == "awaiting"
    done = client.post(url, {f"n{notice.pk}-accepted": "yes", f"n{notice.pk}-note": "Confirmed with West Mercia"})
    assert done.status_code == 302
    notice.refresh_from_db()
    assert (notice.review, notice.reviewed_by) == ("accepted", registrar)
    assert "No notice is awaiting review" in client.get(reverse("recording:legacy-notices")).text
