"""Evidence: uploads checked by content, hashed and given an exhibit reference; tasks with deadlines."""

import hashlib
from datetime import date
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts import audit, policy
from accounts.models import User
from casework.choices import TimelineKind
from casework.models import Case, Evidence, EvidenceTask, Incident
from casework.services.antivirus import scan
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import InvalidInput

# Multipart framing around the file (boundaries, headers, the description): allowed on top of the limit.
UPLOAD_FRAMING_BYTES = 64 * 1024


class UploadTooLarge(InvalidInput):
    status_code = 413


def too_large() -> UploadTooLarge:
    return UploadTooLarge({"file": f"The file must be smaller than {filesizeformat(settings.EVIDENCE_MAX_BYTES)}"})


def refuse_oversized_request(request) -> None:
    """Refuse an upload by its declared Content-Length, before its body is read (the caller has already
    checked access, so the answer tells nobody else anything)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise InvalidInput({"file": "The request's Content-Length is not a number"}) from None
    if declared > settings.EVIDENCE_MAX_BYTES + UPLOAD_FRAMING_BYTES:
        raise too_large()


def name_for_type(original: str, content_type: str) -> str:
    """The uploaded name with the extension of the type its content showed: a picture sent as
    'statement.html' is kept (and downloaded) as 'statement.png'."""
    extension = "txt" if content_type == "text/plain" else filetype.get_type(mime=content_type).extension
    stem = PurePath(original.replace("\\", "/")).stem.strip(" .") or "exhibit"
    return f"{stem[: 250 - len(extension)]}.{extension}"


def _sniff(upload: UploadedFile) -> str | None:
    """The MIME type the file's content shows, or None if it is not a type we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in settings.EVIDENCE_ALLOWED_TYPES else None
    # Plain text (a victim's log, an exported chat) has no magic number: accept clean UTF-8 only.
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # The 8 KiB cut may split a character; judge on what decodes.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return "text/plain"


def _exhibit_reference(case: Case, actor: User) -> str:
    """Officer's initials and a number, as exhibits are labelled in statements: 'PS/3'."""
    initials = (actor.first_name[:1] + actor.last_name[:1]).upper() or actor.username[:2].upper()
    taken = set(
        case.evidence.filter(exhibit_reference__startswith=f"{initials}/").values_list("exhibit_reference", flat=True)
    )
    number = 1
    while f"{initials}/{number}" in taken:
        number += 1
    return f"{initials}/{number}"


@transaction.atomic
def evidence_upload(
    *, actor: User, case: Case, upload: UploadedFile, description: str, incident: Incident | None = None
) -> Evidence:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not add to this case")
    if not description.strip():
        raise InvalidInput({"description": "Describe what the evidence shows"})
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise too_large()
    if upload.size == 0:
        raise InvalidInput({"file": "The file is empty"})
    content_type = _sniff(upload)
    if content_type is None:
        raise InvalidInput(
            {"file": "The file must be a picture, PDF, audio, video or plain-text file (checked by its content)"}
        )
    if incident is not None and incident.case_id != case.pk:
        raise InvalidInput({"incident": "Choose an incident in this case"})
    scan(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    # Lock the case row so two uploads cannot take the same exhibit number.
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    evidence = Evidence(
        case=case,
        incident=incident,
        exhibit_reference=_exhibit_reference(case, actor),
        description=description.strip()[:300],
        original_name=name_for_type(upload.name, content_type),
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    evidence.file.save("upload", upload, save=False)
    evidence.save()
    timeline_record(
        case=case,
        kind=TimelineKind.EVIDENCE,
        occurred_at=evidence.uploaded_at,
        summary=f"Exhibit {evidence.exhibit_reference} uploaded: {evidence.description}",
        source=evidence,
        actor=actor,
    )
    return evidence


def evidence_open(*, actor: User, evidence: Evidence, download: bool, recipient: str = ""):
    """The stored file, opened for viewing or download; chain of custody goes to the audit log."""
    if download:
        audit.disclosed(evidence, recipient=recipient or actor.get_username(), detail="downloaded")
    else:
        audit.consulted(evidence, detail="viewed")
    return evidence.file.open("rb")


@transaction.atomic
def evidence_task_create(*, actor: User, case: Case, description: str, due_on: date) -> EvidenceTask:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not add to this case")
    errors = {}
    if not description.strip():
        errors["description"] = "Describe the evidence to secure"
    if due_on < timezone.localdate():
        errors["due_on"] = "The due date must be today or later"
    if errors:
        raise InvalidInput(errors)
    task = EvidenceTask.objects.create(case=case, description=description.strip(), due_on=due_on, created_by=actor)
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return task


@transaction.atomic
def evidence_task_complete(*, actor: User, task: EvidenceTask) -> EvidenceTask:
    if not policy.may(actor, policy.Action.EDIT_CASE, task.case):
        raise InvalidInput("You may not change this case")
    if task.done_at is not None:
        raise InvalidInput("This task is already done")
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    timeline_record(
        case=task.case,
        kind=TimelineKind.EVIDENCE,
        occurred_at=task.done_at,
        summary=f"Evidence secured: {task.description}",
        source=task,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, task.case_id)
    return task
