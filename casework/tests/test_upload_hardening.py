"""Uploads (issue 16): refused by Content-Length with 413 before the body is read, but only after the
access check; kept under a name whose extension follows the detected type; scanned by clamd when
configured."""

import logging
import socket
import struct
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tokens import api_token_issue
from casework.models import Evidence
from casework.tests.test_views_evidence import png_bytes

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, case, content: bytes, name="screenshot.png"):
    return client.post(
        reverse("casework:evidence-upload", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "Screenshot of texts"},
    )


def test_an_upload_declared_too_large_is_refused_with_413_before_its_body_is_read(client, officer, case, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(officer)
    response = _upload(client, case, png_bytes() + b"\x00" * 100_000)
    assert response.status_code == 413
    assert "The file must be smaller than" in response.text
    assert not Evidence.objects.exists()


def test_the_access_check_comes_before_the_size_check(client, stranger, case, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(stranger)
    assert _upload(client, case, b"x" * 100_000).status_code == 404


def test_the_api_refuses_a_declared_too_large_upload_with_413_after_the_access_check(officer, stranger, case, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    body = {"file": SimpleUploadedFile("big.png", png_bytes() + b"\x00" * 100_000), "description": "texts"}
    url = f"/api/v1/cases/{case.pk}/evidence/"
    _, theirs = api_token_issue(actor=None, user=stranger, name="t", scope="write", after_mfa=True)
    assert APIClient(HTTP_AUTHORIZATION=f"Token {theirs}").post(url, body, format="multipart").status_code == 404
    body["file"].seek(0)
    _, mine = api_token_issue(actor=None, user=officer, name="t", scope="write", after_mfa=True)
    response = APIClient(HTTP_AUTHORIZATION=f"Token {mine}").post(url, body, format="multipart")
    assert response.status_code == 413
    assert response.json()["errors"]["file"] == ["The file must be smaller than 1000\xa0bytes"]


def test_the_kept_name_takes_the_extension_of_the_detected_type(client, officer, case):
    client.force_login(officer)
    assert _upload(client, case, png_bytes(), name="statement.html").status_code == 302
    assert _upload(client, case, b"He texted me 40 times.\n", name="log.exe").status_code == 302
    names = sorted(Evidence.objects.values_list("original_name", flat=True))
    assert names == ["log.txt", "statement.png"]
    evidence = Evidence.objects.get(original_name="statement.png")
    download = client.get(reverse("casework:evidence-download", args=[case.pk, evidence.pk]))
    assert 'filename="statement.png"' in download["Content-Disposition"]


@pytest.fixture
def clamd(settings, tmp_path):
    """A process speaking clamd's INSTREAM protocol on a Unix socket, finding the EICAR test string."""
    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                assert conn.recv(10) == b"zINSTREAM\0"
                data = b""
                while True:
                    size = struct.unpack("!L", conn.recv(4, socket.MSG_WAITALL))[0]
                    if size == 0:
                        break
                    data += conn.recv(size, socket.MSG_WAITALL)
                verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(verdict)

    threading.Thread(target=serve, daemon=True).start()
    settings.CLAMD_SOCKET = path
    yield path
    server.close()


def test_clamd_refuses_an_infected_upload_and_passes_a_clean_one(client, officer, case, clamd):
    client.force_login(officer)
    refused = _upload(client, case, EICAR, name="notes.txt")
    assert refused.status_code == 400 and "Eicar-Test-Signature" in refused.text
    assert not Evidence.objects.exists()
    assert _upload(client, case, png_bytes()).status_code == 302


def test_an_upload_is_refused_while_the_configured_clamd_does_not_answer(client, officer, case, settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    client.force_login(officer)
    assert _upload(client, case, png_bytes()).status_code == 503
    assert not Evidence.objects.exists()


def test_without_clamd_an_upload_is_accepted_with_a_warning(client, officer, case, settings, caplog):
    settings.CLAMD_SOCKET = ""
    client.force_login(officer)
    with caplog.at_level(logging.WARNING, logger="casework.services.antivirus"):
        assert _upload(client, case, png_bytes()).status_code == 302
    assert "without a virus scan" in caplog.text
