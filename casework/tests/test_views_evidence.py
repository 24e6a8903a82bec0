import struct
import zlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import Evidence, EvidenceTask


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, case, content: bytes, name="screenshot.png", description="Screenshot of texts"):
    return client.post(
        reverse("casework:evidence-upload", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="image/png"), "description": description},
    )


def test_it_uploads_lists_and_downloads_an_exhibit(client, officer, case):
    client.force_login(officer)
    assert client.get(reverse("casework:evidence-upload", args=[case.pk])).status_code == 200
    assert _upload(client, case, png_bytes(), name='evil"\r\nname.png').status_code == 302
    evidence = Evidence.objects.get(case=case)
    assert evidence.exhibit_reference == "PS/1" and evidence.content_type == "image/png"
    listing = client.get(reverse("casework:evidence-list", args=[case.pk]))
    assert listing.status_code == 200 and "PS/1" in listing.text and evidence.sha256[:12] in listing.text
    download = client.get(reverse("casework:evidence-download", args=[case.pk, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png_bytes()
    assert download["Content-Disposition"].startswith("attachment;")
    assert "\n" not in download["Content-Disposition"] and "\r" not in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert AuditEntry.objects.filter(object_type="casework.evidence", action="disclose").count() == 1
    detail = client.get(reverse("casework:evidence-detail", args=[case.pk, evidence.pk]))
    assert detail.status_code == 200 and "Chain of custody" in detail.text and "Disclosure" in detail.text


def test_it_refuses_a_program_renamed_as_a_picture(client, officer, case):
    client.force_login(officer)
    response = _upload(client, case, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64)
    assert response.status_code == 400
    assert "checked by its content" in response.text
    assert not Evidence.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=50)
def test_it_refuses_a_file_too_large(client, officer, case):
    client.force_login(officer)
    response = _upload(client, case, png_bytes() + b"\x00" * 100)
    assert response.status_code == 413
    assert "The file must be smaller than" in response.text
    assert not Evidence.objects.exists()


def test_it_adds_and_completes_evidence_tasks_and_highlights_overdue_ones(client, officer, case):
    client.force_login(officer)
    due = timezone.localdate() + timedelta(days=2)
    created = client.post(
        reverse("casework:evidence-task-create", args=[case.pk]),
        {"description": "CCTV at the bus station", "due_on": due.isoformat()},
    )
    assert created.status_code == 302
    task = EvidenceTask.objects.get(case=case)
    EvidenceTask.objects.create(
        case=case, description="Doorbell video", due_on=timezone.localdate() - timedelta(days=1), created_by=officer
    )
    listing = client.get(reverse("casework:evidence-list", args=[case.pk]))
    assert "Overdue" in listing.text and listing.text.count("Overdue") == 1
    done = client.post(reverse("casework:evidence-task-complete", args=[case.pk, task.pk]))
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    assert client.get(reverse("casework:evidence-task-complete", args=[case.pk, task.pk])).status_code == 405


def test_it_refuses_a_task_due_in_the_past(client, officer, case):
    client.force_login(officer)
    response = client.post(
        reverse("casework:evidence-task-create", args=[case.pk]),
        {"description": "CCTV", "due_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "The due date must be today or later" in response.text
    assert not EvidenceTask.objects.exists()


def test_the_stranger_gets_404_on_every_evidence_page(client, officer, stranger, case):
    client.force_login(officer)
    _upload(client, case, png_bytes())
    evidence = Evidence.objects.get()
    task = EvidenceTask.objects.create(case=case, description="x", due_on=timezone.localdate(), created_by=officer)
    client.force_login(stranger)
    for method, url in (
        ("get", reverse("casework:evidence-list", args=[case.pk])),
        ("get", reverse("casework:evidence-upload", args=[case.pk])),
        ("get", reverse("casework:evidence-detail", args=[case.pk, evidence.pk])),
        ("get", reverse("casework:evidence-download", args=[case.pk, evidence.pk])),
        ("post", reverse("casework:evidence-task-create", args=[case.pk])),
        ("post", reverse("casework:evidence-task-complete", args=[case.pk, task.pk])),
    ):
        assert getattr(client, method)(url).status_code == 404, url
