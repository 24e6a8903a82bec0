import hashlib
import struct
import zlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEntry
from casework.models import Evidence, VictimContact


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(api, user, case, name, content, description="Screenshot of messages"):
    return api.as_user(user).post(
        f"/api/v1/cases/{case.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content), "description": description},
        format="multipart",
    )


def test_a_screenshot_is_stored_hashed_and_given_an_exhibit_reference(api, officer, case, tmp_path):
    content = png_bytes()
    response = _upload(api, officer, case, "../../etc/passwd.png", content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["exhibit_reference"] == "PS/1"
    assert body["content_type"] == "image/png"
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    stored = Evidence.objects.get()
    assert stored.original_name == "passwd.png"  # Django drops the path the client sent
    assert str(tmp_path) in stored.file.path and "passwd" not in stored.file.name
    assert _upload(api, officer, case, "b.png", content).json()["exhibit_reference"] == "PS/2"


def test_a_file_is_judged_by_its_content_not_its_name(api, officer, case):
    response = _upload(api, officer, case, "holiday.png", b"MZ\x90\x00" + b"\x00" * 200)
    assert response.status_code == 400
    assert "checked by its content" in response.json()["errors"]["file"][0]
    assert _upload(api, officer, case, "log.txt", b"Tuesday: he was outside again\n").status_code == 201
    assert not Evidence.objects.filter(original_name="holiday.png").exists()


def test_a_file_over_the_limit_is_refused(api, officer, case, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = _upload(api, officer, case, "big.png", png_bytes() + b"\x00" * 2048)
    assert response.status_code == 413
    assert response.json()["errors"]["file"] == ["The file must be smaller than 1.0\xa0KB"]
    assert not Evidence.objects.exists()


def test_evidence_list_is_404_to_a_stranger_and_audited(api, officer, stranger, case):
    _upload(api, officer, case, "a.png", png_bytes())
    assert api.as_user(stranger).get(f"/api/v1/cases/{case.pk}/evidence/").status_code == 404
    assert len(api.as_user(officer).get(f"/api/v1/cases/{case.pk}/evidence/").json()) == 1
    assert AuditEntry.objects.filter(action="consult", object_type="casework.evidence").exists()


@pytest.fixture
def victim(officer, case):
    from casework.services.people import party_add, person_create

    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


def test_the_next_update_skips_weekends_and_bank_holidays(api, officer, case, victim):
    from casework.models import CaseParty
    from casework.services.people import victim_entitlement_set

    party = CaseParty.objects.get(case=case, person=victim)
    victim_entitlement_set(actor=officer, party=party, enhanced=True, update_every_working_days=None)
    london = ZoneInfo("Europe/London")
    with time_machine.travel(datetime(2026, 12, 24, 17, 0, tzinfo=london), tick=False):
        response = api.as_user(officer).post(
            f"/api/v1/cases/{case.pk}/contacts/",
            {
                "victim_id": victim.pk,
                "contacted_at": "2026-12-24T16:30:00+00:00",
                "method": "phone",
                "summary": "Told her he was arrested; agreed daily updates",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    # Christmas Day (Fri) and the Boxing Day substitute (Mon 28th) are bank holidays.
    assert response.json()["next_update_due"] == "2026-12-29"
    assert VictimContact.objects.get().next_update_due == date(2026, 12, 29)


def test_a_contact_with_someone_who_is_not_a_victim_is_refused(api, officer, case):
    response = api.as_user(officer).post(
        f"/api/v1/cases/{case.pk}/contacts/",
        {"victim_id": 12345, "contacted_at": "2026-01-01T10:00:00Z", "method": "phone", "summary": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"victim_id": ["Choose a victim in this case"]}
