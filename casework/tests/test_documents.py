"""Generated documents: the request, the render the worker runs, the status fragment and the download."""

import hashlib
import os
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework import documents
from casework.choices import DocumentStatus
from casework.documents import document_render, document_request, register_document
from casework.models import CaseDocument
from casework.redaction import WITHHELD, Redactor
from casework.tests.factories import IncidentFactory
from config.errors import InvalidInput

NOTE = "test_note"


def _note_html(incident) -> str:
    return f"""<html><head><style>
      @page {{ size: A4; @bottom-right {{ content: "Page " counter(page) " of " counter(pages); }} }}
      html {{ font-family: "DejaVu Sans", sans-serif; }}
      .static-probe::after {{ content: "no static style"; }}
      </style>{_extra_head.get("html", "")}</head>
      <body><h1>Note about incident {incident.pk}</h1><p class="static-probe"></p></body></html>"""


_extra_head: dict[str, str] = {}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def note_kind():
    register_document(NOTE, lambda incident: f"Note {incident.pk}", _note_html)
    yield
    documents._kinds.pop(NOTE, None)
    _extra_head.clear()


@pytest.fixture
def incident(case):
    return IncidentFactory(case=case)


def pdf_text(document: CaseDocument) -> str:
    with document.file.open("rb") as handle:
        result = subprocess.run(["pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def _request(officer, case, incident, capture) -> CaseDocument:
    with capture(execute=True):
        document = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    document.refresh_from_db()
    return document


def test_it_renders_a_requested_document_to_a_stored_pdf(officer, case, incident, django_capture_on_commit_callbacks):
    document = _request(officer, case, incident, django_capture_on_commit_callbacks)
    assert document.status == DocumentStatus.READY and document.error == ""
    assert document.title == f"Note {incident.pk}"
    assert (document.source_type, document.source_id) == ("casework.incident", str(incident.pk))
    with document.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    assert document.size == len(pdf) and document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.pages == 1 and document.ready_at is not None
    text = pdf_text(document)
    assert f"Note about incident {incident.pk}" in text and "Page 1 of 1" in text
    # The render is a write of an audited model, like any other.
    assert AuditEntry.objects.filter(
        object_type="casework.casedocument", object_id=str(document.pk), action="alter"
    ).exists()


def test_a_render_is_queued_only_when_the_request_commits(officer, case, incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING and not document.file


def test_a_failed_render_is_marked_failed_not_left_pending(officer, case, incident, django_capture_on_commit_callbacks):
    def broken(incident):
        raise ValueError("the template is missing")

    register_document(NOTE, lambda incident: "Broken note", broken)
    document = _request(officer, case, incident, django_capture_on_commit_callbacks)
    assert document.status == DocumentStatus.FAILED
    assert document.error == "ValueError: the template is missing"
    assert not document.file and document.ready_at is None


def test_a_document_whose_kind_is_no_longer_registered_fails(
    officer, case, incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    documents._kinds.pop(NOTE)
    document_render(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and "test_note" in document.error


def test_a_ready_document_is_not_rendered_again(officer, case, incident, django_capture_on_commit_callbacks):
    document = _request(officer, case, incident, django_capture_on_commit_callbacks)
    name, sha = document.file.name, document.sha256
    document_render(document.pk)  # e.g. the task delivered twice
    document.refresh_from_db()
    assert (document.file.name, document.sha256) == (name, sha)
    assert len(os.listdir(document.file.storage.path(f"documents/{case.pk}"))) == 1  # no second file


def test_only_someone_who_may_edit_the_case_can_request(registrar, stranger, officer, case, incident):
    for user in (registrar, stranger):
        with pytest.raises(InvalidInput):
            document_request(actor=user, case=case, kind=NOTE, source=incident)
    other = IncidentFactory()
    with pytest.raises(InvalidInput, match="record of this case"):
        document_request(actor=officer, case=case, kind=NOTE, source=other)
    with pytest.raises(InvalidInput) as refused:
        document_request(actor=officer, case=case, kind="no_such_kind", source=incident)
    assert "kind" in refused.value.errors
    assert not CaseDocument.objects.exists()


def test_a_document_may_use_static_files_but_fetches_nothing_else(
    settings, tmp_path, officer, case, incident, django_capture_on_commit_callbacks
):
    static = tmp_path / "static"
    static.mkdir()
    (static / "probe.css").write_text('.static-probe::after { content: "styled from static"; }')
    outside = tmp_path / "outside.css"
    outside.write_text('.static-probe::before { content: "LEAKED FILE"; }')
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]
    _extra_head["html"] = (
        '<link rel="stylesheet" href="/static/probe.css">'
        f'<link rel="stylesheet" href="{outside.as_uri()}">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/leak.css">'
    )
    document = _request(officer, case, incident, django_capture_on_commit_callbacks)
    text = pdf_text(document)
    assert document.status == DocumentStatus.READY
    assert "styled from static" in text and "LEAKED" not in text


# --- The status fragment and the download ----------------------------------------------------------


@pytest.fixture
def ready(officer, case, incident, django_capture_on_commit_callbacks) -> CaseDocument:
    return _request(officer, case, incident, django_capture_on_commit_callbacks)


def test_the_status_fragment_polls_while_pending_and_links_when_ready(
    client, officer, case, incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    client.force_login(officer)
    url = reverse("casework:document-status", args=[document.pk])
    pending = client.get(url, headers={"HX-Request": "true"})
    assert pending.status_code == 200
    assert 'hx-trigger="every 2s"' in pending.text and f'hx-get="{url}"' in pending.text
    assert "Being prepared" in pending.text

    document_render(document.pk)
    ready = client.get(url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in ready.text and "Ready" in ready.text
    assert reverse("casework:document-download", args=[document.pk]) in ready.text
    assert "1 page" in ready.text


def test_the_status_fragment_shows_a_failure(client, officer, case, incident, django_capture_on_commit_callbacks):
    register_document(NOTE, lambda incident: "Broken note", lambda incident: 1 / 0)
    document = _request(officer, case, incident, django_capture_on_commit_callbacks)
    client.force_login(officer)
    response = client.get(reverse("casework:document-status", args=[document.pk]))
    assert "Failed" in response.text and "ZeroDivisionError" in response.text and "hx-trigger" not in response.text


def test_a_signed_out_poll_stops_polling_instead_of_swapping_in_the_login_page(client, ready):
    url = reverse("casework:document-status", args=[ready.pk])
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 286
    assert client.get(url).status_code == 302


def test_the_download_is_a_pdf_attachment_and_recorded_as_a_disclosure(client, officer, case, ready):
    client.force_login(officer)
    response = client.get(reverse("casework:document-download", args=[ready.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{case.reference}-test_note-{ready.pk}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    entry = AuditEntry.objects.get(object_type="casework.casedocument", object_id=str(ready.pk), action="disclose")
    assert entry.recipient == "downloaded by officer" and entry.actor == officer
    assert ready.sha256[:12] in entry.detail


def test_the_registrar_may_download_but_the_stranger_gets_404(client, registrar, stranger, ready):
    client.force_login(registrar)
    assert client.get(reverse("casework:document-download", args=[ready.pk])).status_code == 200
    client.force_login(stranger)
    assert client.get(reverse("casework:document-download", args=[ready.pk])).status_code == 404
    assert client.get(reverse("casework:document-status", args=[ready.pk])).status_code == 404
    assert not AuditEntry.objects.filter(actor=stranger, action="disclose").exists()


def test_a_document_not_ready_cannot_be_downloaded(client, officer, case, incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    client.force_login(officer)
    assert client.get(reverse("casework:document-download", args=[document.pk])).status_code == 404


# --- Redaction ------------------------------------------------------------------------------------


def test_the_redactor_finds_a_secret_however_it_is_spaced_cased_or_punctuated():
    redact = Redactor(["14 Larch Close, Harborne B17 9QT", "07700 900123", "Flat"])
    assert redact("She lives at 14 larch close harborne b17 9qt now") == f"She lives at {WITHHELD} now"
    assert redact("He rang 07700-900123 twice") == f"He rang {WITHHELD} twice"
    assert redact("Flat tyres; a flatmate") == "Flat tyres; a flatmate"  # too short to be a secret
    assert redact("14 Larchwood Closed") == "14 Larchwood Closed"  # whole words only
    assert Redactor([])("anything") == "anything"


# --- The worker -----------------------------------------------------------------------------------


def test_the_render_task_goes_to_the_documents_queue():
    from config.celery import app

    assert app.amqp.router.route({}, "casework.tasks.document_render_task")["queue"].name == "documents"


@pytest.mark.worker
def test_a_worker_consuming_the_documents_queue_renders_the_pdf(settings, transactional_db, officer, case):
    import time

    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from tests.test_worker import QUEUES

    incident = IncidentFactory(case=case)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=QUEUES):
            document = document_request(actor=officer, case=case, kind=NOTE, source=incident)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and document.status == DocumentStatus.PENDING:
                time.sleep(0.2)
                document.refresh_from_db()
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    assert document.status == DocumentStatus.READY, document.error
    assert pdf_text(document).startswith(f"Note about incident {incident.pk}")


def test_a_document_whose_render_was_lost_is_marked_failed_after_the_limit(
    settings, officer, case, incident, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_READY_WITHIN_MINUTES = 15
    with django_capture_on_commit_callbacks(execute=False):  # the render never reaches a worker
        lost = document_request(actor=officer, case=case, kind=NOTE, source=incident)
        recent = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    CaseDocument.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - timedelta(minutes=16))
    CaseDocument.objects.filter(pk=recent.pk).update(requested_at=timezone.now() - timedelta(minutes=14))

    assert documents.documents_give_up_stale() == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == DocumentStatus.FAILED and "Not ready within 15 minutes" in lost.error
    assert recent.status == DocumentStatus.PENDING
    assert AuditEntry.objects.filter(action="alter", object_id=str(lost.pk), object_type="casework.casedocument")

    document_render(lost.pk)  # the lost render delivered late changes nothing
    lost.refresh_from_db()
    assert lost.status == DocumentStatus.FAILED and not lost.file
    assert documents.documents_give_up_stale() == 0
