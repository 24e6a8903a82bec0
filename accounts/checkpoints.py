"""Audit checkpoints: beat writes the chain's head (last entry id and hash) to an append-only table the
app's database role may only add to, and to the log. The chain alone proves each entry follows the one
before; the checkpoints prove entries that once existed still do, unchanged, so `verify_audit` sees a
deleted tail, a chain rewritten from some entry on (hashes recomputed) and a truncation."""

import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import AuditCheckpoint, AuditEntry

logger = logging.getLogger("accounts.audit")


@transaction.atomic
def checkpoint_write() -> AuditCheckpoint | None:
    """Record the chain's head, unless nothing was appended since the last checkpoint."""
    head = AuditEntry.objects.order_by("-id").values("id", "hash").first()
    if head is None:
        return None
    last = AuditCheckpoint.objects.order_by("-id").first()
    if last is not None and last.entry_id == head["id"]:
        return None
    checkpoint = AuditCheckpoint.objects.create(
        at=timezone.now(), entry_id=head["id"], entry_hash=head["hash"], entries=AuditEntry.objects.count()
    )
    # The same head in the log, which is kept apart from the database.
    logger.info("audit checkpoint entry=%s hash=%s entries=%s", head["id"], head["hash"], checkpoint.entries)
    return checkpoint


def checkpoint_failures() -> list[str]:
    """What the checkpoints say is missing or changed in the log (empty when it all still holds)."""
    failures = []
    head_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    latest = AuditCheckpoint.objects.order_by("-entry_id").first()
    if latest is not None and head_id < latest.entry_id:
        failures.append(
            f"The log ends at entry {head_id or 'none'} but checkpoint {latest.pk} ({latest.at:%Y-%m-%d %H:%M:%S}) "
            f"saw entry {latest.entry_id}: entries were deleted from the end, or the log was emptied."
        )
    wanted = dict(AuditCheckpoint.objects.values_list("entry_id", "entry_hash"))
    found = dict(AuditEntry.objects.filter(id__in=list(wanted)).values_list("id", "hash"))
    for entry_id, entry_hash in sorted(wanted.items()):
        if entry_id > head_id:
            continue  # reported above
        if entry_id not in found:
            failures.append(f"Entry {entry_id}, recorded by a checkpoint, is missing.")
        elif found[entry_id] != entry_hash:
            failures.append(
                f"Entry {entry_id} no longer has the hash its checkpoint recorded: the chain was rewritten."
            )
    return failures
