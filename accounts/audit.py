"""The audit trail (DPA 2018 s.62): who did what to which record, when, from where.

Writes of registered models are logged by signal in the same transaction as the change, so a change
whose audit row cannot be written fails as a whole. Reads (consultation), downloads and exports
(disclosure, with the recipient) and linking people (combination) are logged by the code that does
them, through the functions below. Each row stores the hash of its predecessor and of its own
content; `manage.py verify_audit` walks the chain.
"""

import contextvars
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from accounts.choices import AuditAction
from accounts.models import AuditEntry

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditContext:
    user: object | None = None
    ip: str | None = None


_NO_CONTEXT = AuditContext()  # frozen, so safe as the default
_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar("audit_context", default=_NO_CONTEXT)  # noqa: B039


@contextmanager
def acting_as(user, ip: str | None = None) -> Iterator[None]:
    """Attribute what happens inside to `user` (set per request by middleware, or by tasks/commands)."""
    token = _context.set(AuditContext(user=user, ip=ip))
    try:
        yield
    finally:
        _context.reset(token)


def set_actor(user) -> None:
    """Name the actor for the rest of the current request (for authentication that runs in the view)."""
    _context.set(AuditContext(user=user, ip=_context.get().ip))


# What the access policy refused during the current request, for the refusal's audit row. A list
# set per request and appended to (not re-set), so a note made in a copied context still arrives.
_refusals: contextvars.ContextVar[list[tuple[str, str]] | None] = contextvars.ContextVar("refusals", default=None)


@contextmanager
def noting_refusals() -> Iterator[list[tuple[str, str]]]:
    notes: list[tuple[str, str]] = []
    token = _refusals.set(notes)
    try:
        yield notes
    finally:
        _refusals.reset(token)


def note_refused(object_type: str, object_id) -> None:
    """The policy refused this record (the request may still succeed by another route)."""
    notes = _refusals.get()
    if notes is not None:
        notes.append((object_type, str(object_id)))


def refused(
    *, actor, method: str, path: str, object_type: str = "", object_id: str = "", asked: str = ""
) -> AuditEntry:
    """A request answered 404 to a signed-in user: the record asked for, by whom, how and where."""
    detail = f"{method} {path}" + (f" ({asked})" if asked else "")
    return record(AuditAction.REFUSED, object_type=object_type, object_id=object_id[:64], detail=detail, actor=actor)


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: Iterable[str] = (),
    recipient: str = "",
    detail: str = "",
    actor=None,
) -> AuditEntry:
    ctx = _context.get()
    actor = actor if actor is not None else ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type, object_id = object_type_of(obj), str(obj.pk)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_username=actor.get_username() if actor else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=sorted(changes),
        recipient=recipient[:200],
        detail=detail[:500],
        ip=ctx.ip,
    )
    _append(entry)
    return entry


def _append(entry: AuditEntry) -> None:
    """Link the entry to the last one and insert it, as one step no other append can interleave with."""
    if connection.vendor == "postgresql":
        # One round trip: the audit_append function (migration accounts 0004) locks, links and inserts.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM audit_append(%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s::inet, %s, %s)",
                [
                    entry.at,
                    entry.actor_id,
                    entry.actor_username,
                    entry.action,
                    entry.object_type,
                    entry.object_id,
                    json.dumps(entry.changes),
                    entry.recipient,
                    entry.detail,
                    entry.ip,
                    *entry.canonical_text_around_prev_hash(),
                ],
            )
            entry.pk, entry.prev_hash, entry.hash = cursor.fetchone()
        entry._state.adding, entry._state.db = False, connection.alias
        return
    with transaction.atomic():  # SQLite serialises writers, so reading the last hash here is safe
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry.prev_hash = last or GENESIS_HASH
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)


def consulted(obj: models.Model, *, detail: str = "") -> AuditEntry:
    return record(AuditAction.CONSULT, obj=obj, detail=detail)


def consulted_many(model: type[models.Model], ids: Iterable, *, detail: str = "") -> AuditEntry:
    """One row for a list or page of records: the ids shown, not one row per record."""
    ids = list(ids)
    return record(
        AuditAction.CONSULT,
        object_type=object_type_of(model),
        object_id=f"{len(ids)} records",
        detail=(detail + " ids=" + ",".join(str(i) for i in ids))[:500],
    )


def disclosed(obj: models.Model, *, recipient: str, detail: str = "") -> AuditEntry:
    return record(AuditAction.DISCLOSE, obj=obj, recipient=recipient, detail=detail)


def combined(obj: models.Model, *, detail: str) -> AuditEntry:
    return record(AuditAction.COMBINE, obj=obj, detail=detail)


# --- Writes of registered models -----------------------------------------------------------------

_registered: set[type[models.Model]] = set()


def register(*models_: type[models.Model]) -> None:
    for model in models_:
        if model in _registered:
            continue
        _registered.add(model)
        pre_save.connect(_note_changed_fields, sender=model, dispatch_uid=f"audit-pre-{model._meta.label}")
        post_save.connect(_log_save, sender=model, dispatch_uid=f"audit-save-{model._meta.label}")
        post_delete.connect(_log_delete, sender=model, dispatch_uid=f"audit-del-{model._meta.label}")


def registered_models() -> frozenset[type[models.Model]]:
    return frozenset(_registered)


def _concrete_attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _note_changed_fields(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    names = list(update_fields) if update_fields else _concrete_attnames(sender)
    attnames = [sender._meta.get_field(n).attname for n in names]
    old = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    if old is None:
        instance._audit_changed = names
        return
    instance._audit_changed = [sender._meta.get_field(a).name for a in attnames if old[a] != getattr(instance, a)]


def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        fields = [
            f.name
            for f in sender._meta.concrete_fields
            if not f.primary_key and getattr(instance, f.attname) not in (None, "")
        ]
        record(AuditAction.COLLECT, obj=instance, changes=fields)
        return
    changed = getattr(instance, "_audit_changed", [])
    instance._audit_changed = []
    if changed:
        record(AuditAction.ALTER, obj=instance, changes=changed)


def _log_delete(sender, instance, **kwargs):
    record(AuditAction.ERASE, obj=instance)


def history(obj: models.Model):
    return (
        AuditEntry.objects.filter(object_type=object_type_of(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-id")
    )


def verify_chain(batch_size: int = 5000) -> AuditEntry | None:
    """The first entry whose hash or link to its predecessor is wrong, or None if the chain holds."""
    expected_prev = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        if entry.prev_hash != expected_prev or entry.compute_hash() != entry.hash:
            return entry
        expected_prev = entry.hash
    return None
