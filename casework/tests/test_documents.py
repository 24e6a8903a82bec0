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
    with django_capture_on_commit_callbacks(execute=False):  # queued, but the render never reaches a worker
        lost = document_request(actor=officer, case=case, kind=NOTE, source=incident)
        recent = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    CaseDocument.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - timedelta(minutes=16))
    CaseDocument.objects.filter(pk=recent.pk).update(queued_at=timezone.now() - timedelta(minutes=14))

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


def test_a_render_the_broker_never_took_is_queued_by_the_sweep_and_not_given_up(
    settings, officer, case, incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down: never queued
        document = document_request(actor=officer, case=case, kind=NOTE, source=incident)
    assert documents.documents_queue_unqueued() == 0  # not before a minute: the request's own send may be on its way
    CaseDocument.objects.filter(pk=document.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    assert documents.documents_give_up_stale() == 0  # never queued: not the worker's fault

    assert documents.documents_queue_unqueued() == 1  # (eager in tests: queued and rendered)
    document.refresh_from_db()
    assert document.queued_at is not None and document.status == DocumentStatus.READY
    assert documents.documents_queue_unqueued() == 0


def test_a_save_that_fails_leaves_no_file_without_its_row(
    settings, officer, case, incident, django_capture_on_commit_callbacks
):
    from django.db import DatabaseError
    from django.db.models.signals import pre_save

    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(actor=officer, case=case, kind=NOTE, source=incident)

    def database_gone(sender, instance, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    pre_save.connect(database_gone, sender=CaseDocument, dispatch_uid="database-gone")
    try:
        with pytest.raises(DatabaseError):
            document_render(document.pk)
    finally:
        pre_save.disconnect(sender=CaseDocument, dispatch_uid="database-gone")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING and not document.file
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))
    document_render(document.pk)  # the redelivery stores it
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and len(list(settings.MEDIA_ROOT.rglob("*.pdf"))) == 1


def test_any_document_can_be_prepared_again_from_its_record(
    officer, case, incident, django_capture_on_commit_callbacks
):
    first = _request(officer, case, incident, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = documents.document_again(actor=officer, document=first)
    again.refresh_from_db()
    assert again.pk != first.pk and again.status == DocumentStatus.READY
    assert (again.kind, again.source_type, again.source_id) == (first.kind, first.source_type, first.source_id)
    assert pdf_text(again).startswith(f"Note about incident {incident.pk}")


def test_preparing_again_needs_what_the_request_needed(
    registrar, officer, case, incident, django_capture_on_commit_callbacks
):
    first = _request(officer, case, incident, django_capture_on_commit_callbacks)
    with pytest.raises(InvalidInput):
        documents.document_again(actor=registrar, document=first)
    register_document(NOTE, lambda i: f"Note {i.pk}", _note_html, refusals=lambda i: {"narrative": "Write it first"})
    with pytest.raises(InvalidInput) as refused:
        documents.document_again(actor=officer, document=first)
    assert refused.value.errors == {"narrative": ["Write it first"]}
    assert CaseDocument.objects.count() == 1


def test_prepare_again_on_the_page_and_in_the_api(
    client, officer, registrar, case, incident, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    first = _request(officer, case, incident, django_capture_on_commit_callbacks)
    client.force_login(officer)
    back = f"/cases/{case.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casework:document-again", args=[first.pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    api = APIClient()
    api.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(f"/api/v1/documents/{first.pk}/again/")
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == NOTE and created.json()["status"] == "pending"  # as answered, before the render
    detail = api.get(f"/api/v1/documents/{created.json()['id']}/").json()
    assert detail["status"] == "ready" and detail["download_url"].endswith("/download/")
    assert CaseDocument.objects.filter(kind=NOTE, status=DocumentStatus.READY).count() == 3
    api.force_login(registrar)  # reads it, may not ask for it
    assert api.get(f"/api/v1/documents/{first.pk}/").status_code == 200
    assert api.post(f"/api/v1/documents/{first.pk}/again/").status_code == 404
