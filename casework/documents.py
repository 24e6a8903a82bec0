"""Generated documents (PDFs): a registry of kinds, the request, and the render the worker runs.

An app registers each kind of document it can generate in its AppConfig.ready():

    register_document("spo_application", application_title, application_html)

where both functions take the record the document is made from (e.g. the order); `refusals(source)`,
if given, says why no document can be made from it now (checked on every request); `read_action` names
what a user must be allowed on the case to see and download it (a charging pack: VIEW_HANDOVER, which
is all a CPS lawyer holds), and `source_readable(user, source)`, if given, narrows that to some of the
case's records (a lawyer reads only the packs of the requests sent to them). A request makes a
pending CaseDocument and queues the render on commit; the worker (queue "documents") lays the HTML out
with WeasyPrint, which is too slow for a request (~0.25 s a page, stack.md), and stores the PDF.

Every document can be asked for again (`document_again`: the same kind from the same record, by anyone
who may request it), so a render that failed or was lost never leaves the officer stuck. A render the
broker never took (down or hung at request time) is queued by a beat sweep (`documents_queue_unqueued`);
one queued but not ready in time is marked failed (`documents_give_up_stale`)."""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import DocumentStatus
from casework.models import Case, CaseDocument
from config.errors import InvalidInput

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    title: Callable[[models.Model], str]
    build_html: Callable[[models.Model], str]
    read_action: policy.Action = policy.Action.VIEW_CASE
    source_readable: Callable[[User, models.Model], bool] | None = None
    refusals: Callable[[models.Model], dict[str, str]] | None = None


_kinds: dict[str, DocumentKind] = {}


def register_document(
    kind: str,
    title_fn: Callable[[models.Model], str],
    build_html_fn: Callable[[models.Model], str],
    read_action: policy.Action = policy.Action.VIEW_CASE,
    source_readable: Callable[[User, models.Model], bool] | None = None,
    refusals: Callable[[models.Model], dict[str, str]] | None = None,
) -> None:
    _kinds[kind] = DocumentKind(kind, title_fn, build_html_fn, read_action, source_readable, refusals)


def document_access(user: User, document_id: int) -> CaseDocument:
    """The document if the user may read it (its kind's action on the case, and its source if the kind
    narrows that); 404 alike for "missing" and "not yours"."""
    document = CaseDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document.")
    kind = _kinds.get(document.kind)
    document.case = policy.access_case(user, document.case_id, kind.read_action if kind else policy.Action.VIEW_CASE)
    if kind and kind.source_readable:
        source = apps.get_model(document.source_type).objects.filter(pk=document.source_id).first()
        if source is None or not kind.source_readable(user, source):
            raise Http404("No such document.")
    return document


def document_request(*, actor: User, case: Case, kind: str, source: models.Model) -> CaseDocument:
    """A new pending document of `kind` made from `source` (a record of the case); the worker renders it."""
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    if kind not in _kinds:
        raise InvalidInput({"kind": f"Unknown document {kind!r}"})
    if getattr(source, "case_id", None) != case.pk:
        raise InvalidInput("A document can be made only from a record of this case")
    if _kinds[kind].refusals and (errors := _kinds[kind].refusals(source)):
        raise InvalidInput(errors)
    with transaction.atomic():
        document = CaseDocument.objects.create(
            case=case,
            kind=kind,
            title=_kinds[kind].title(source)[:200],
            source_type=source._meta.label_lower,
            source_id=str(source.pk),
            requested_by=actor,
        )
        transaction.on_commit(lambda: _queue(document.pk))
    return document


def document_again(*, actor: User, document: CaseDocument) -> CaseDocument:
    """The same document prepared again from its record as it is now: after a failure, a lost render, or
    a change to the record. The earlier versions stay as they are (a late render of one is harmless)."""
    source = apps.get_model(document.source_type).objects.filter(pk=document.source_id).first()
    if source is None:
        raise InvalidInput("The record this document was made from no longer exists")
    return document_request(actor=actor, case=document.case, kind=document.kind, source=source)


def _queue(document_id: int) -> None:
    """Send the render to the broker, noting that it got there (the sweep below queues those it did not)."""
    from casework.tasks import document_render_task, publish  # tasks imports this module

    if publish(document_render_task, document_id):
        CaseDocument.objects.filter(pk=document_id, queued_at__isnull=True).update(queued_at=timezone.now())


def documents_queue_unqueued() -> int:
    """Queue the renders the broker never took (beat): pending, never queued, requested over a minute
    ago (so as not to race the request's own send)."""
    cutoff = timezone.now() - timedelta(minutes=1)
    unqueued = CaseDocument.objects.filter(
        status=DocumentStatus.PENDING, queued_at__isnull=True, requested_at__lt=cutoff
    )
    ids = list(unqueued.order_by("id").values_list("pk", flat=True))
    for document_id in ids:
        _queue(document_id)
    if ids:
        logger.warning("queued %d document renders the broker had not taken", len(ids))
    return len(ids)


def document_render(document_id: int) -> None:
    """Lay out and store one pending document, marking it ready or failed. Safe to run twice: a document
    no longer pending (done by an earlier delivery of the same task) is left alone."""
    document = CaseDocument.objects.filter(pk=document_id).first()
    if document is None or document.status != DocumentStatus.PENDING:
        return
    started = time.monotonic()
    try:
        pdf, pages = render_pdf(_kind(document.kind).build_html(_source(document)))
    except Exception as exc:  # whatever broke, the document must not stay "being prepared"
        logger.exception("document %s (%s) could not be rendered", document_id, document.kind)
        _finish(document_id, status=DocumentStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:300])
        return
    if not _store(document, pdf, pages):
        return
    logger.info(
        "document %s (%s): %d pages, %d bytes in %.2f s",
        document_id, document.kind, pages, len(pdf), time.monotonic() - started,
    )  # fmt: skip


def _store(document: CaseDocument, pdf: bytes, pages: int) -> bool:
    """Save the file and mark the row ready together: the file is written inside the row's transaction and
    deleted if that transaction does not commit (or another delivery finished the document first), so
    no file is left without its row."""
    storage, name = document.file.storage, None
    try:
        with transaction.atomic():
            locked = CaseDocument.objects.select_for_update().filter(pk=document.pk).first()
            if locked is None or locked.status != DocumentStatus.PENDING:
                return False
            name = storage.save(document.file.field.generate_filename(locked, f"{locked.pk}.pdf"), ContentFile(pdf))
            locked.file, locked.status, locked.size, locked.pages = name, DocumentStatus.READY, len(pdf), pages
            locked.sha256, locked.ready_at, locked.error = hashlib.sha256(pdf).hexdigest(), timezone.now(), ""
            locked.save(update_fields=["file", "status", "size", "pages", "sha256", "ready_at", "error"])
    except BaseException:
        if name is not None:
            storage.delete(name)
        raise
    return True


def documents_give_up_stale() -> int:
    """Mark failed the documents still "being prepared" after DOCUMENT_READY_WITHIN_MINUTES (beat).

    A queued render can be lost: a worker killed (the memory cap) or the message dropped. Failed, it tells
    the officer to ask again, and a late delivery of the lost render finds it no longer pending and does
    nothing. The clock starts when the broker took the render: one never queued is the sweep's above."""
    minutes = settings.DOCUMENT_READY_WITHIN_MINUTES
    cutoff = timezone.now() - timedelta(minutes=minutes)
    stale = CaseDocument.objects.filter(status=DocumentStatus.PENDING, queued_at__lt=cutoff)
    error = f"Not ready within {minutes} minutes: the document worker may have stopped or run out of memory"
    given_up = sum(_finish(pk, status=DocumentStatus.FAILED, error=error) for pk in stale.values_list("pk", flat=True))
    if given_up:
        logger.warning("%d documents not ready within %d minutes marked failed", given_up, minutes)
    return given_up


def _kind(kind: str) -> DocumentKind:
    if kind not in _kinds:
        raise LookupError(f"No document of kind {kind!r} is registered")
    return _kinds[kind]


def _source(document: CaseDocument) -> models.Model:
    return apps.get_model(document.source_type).objects.get(pk=document.source_id)


def _finish(document_id: int, **fields) -> bool:
    """Record the outcome if the document is still pending (saved, so the audit trail records it)."""
    with transaction.atomic():
        document = CaseDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != DocumentStatus.PENDING:
            return False
        for name, value in fields.items():
            setattr(document, name, value)
        document.save(update_fields=list(fields))
    return True


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF and its page count. /static/ URLs resolve to the app's static files, and nothing else can
    be fetched: text from a case can never make the worker reach the network or read another file."""
    # Imported here: WeasyPrint takes a second to load, and only the worker renders.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts, static_path = urlsplit(url), urlsplit(settings.STATIC_URL).path
            found = (
                parts.scheme == "file"
                and parts.path.startswith(static_path)
                and finders.find(parts.path.removeprefix(static_path))
            )
            if not found:
                raise ValueError(f"Documents may use only static files, not {url}")
            return super().fetch(Path(found).as_uri())

    rendered = HTML(string=html, base_url="file:///", url_fetcher=StaticFilesFetcher()).render()
    return rendered.write_pdf(), len(rendered.pages)
