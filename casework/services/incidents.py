"""Incidents: one at a time, in batches (idempotent by client key) and from a victim's CSV log."""

import io
import json
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts import audit, policy
from accounts.models import User
from casework import choices as c
from casework.identifiers import InvalidIdentifier, normalise_full_name, normalise_identifier
from casework.models import Case, CaseParty, Incident, IncidentBatch, PersonAlias, PersonIdentifier, TimelineEvent
from casework.redaction import sealed_text_errors
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from config import input_contract
from config.errors import EditConflict, InvalidInput

MAX_BATCH = 5000
CLIENT_KEY_MAX = 100
# Clock skew allowance between a tablet and the server when "now" is the default time.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass
class IncidentInput:
    occurred_at: datetime
    channel: str
    reported_at: datetime | None = None
    occurred_until: datetime | None = None
    victim_id: int | None = None
    reported_by: str = c.ReportedBy.VICTIM
    report_method: str = c.ReportMethod.IN_PERSON
    place: str = ""
    behaviours: list[str] = field(default_factory=list)
    threats: list[str] = field(default_factory=list)
    weapon: str = ""
    injury: bool = False
    victim_feared_violence: bool = False
    impacts: list[str] = field(default_factory=list)
    count: int = 1
    narrative: str = ""
    entry: str = ""
    entry_place: str = ""
    circumstances: list[str] = field(default_factory=list)
    new_identity_kind: str = ""
    new_identity: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> "IncidentInput":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


_VALUES: dict[type, frozenset[str]] = {}


_DATETIME_FIELDS = frozenset({"occurred_at", "occurred_until", "reported_at"})
_LIST_FIELDS = frozenset({"behaviours", "threats", "impacts", "circumstances"})
_BOOL_FIELDS = frozenset({"injury", "victim_feared_violence"})
_INPUT_FIELDS = frozenset(f.name for f in fields(IncidentInput))


def _json_value(name: str, raw):
    """One field of an incident sent as JSON, or ValueError with the message for the user."""
    if name in _DATETIME_FIELDS:
        if raw is None and name != "occurred_at":
            return None
        if not isinstance(raw, str):
            raise ValueError("Enter a date and time such as 2026-03-14T08:05:00Z")
        return input_contract.parse_record_datetime(raw)
    if name in _LIST_FIELDS:
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise ValueError("Give a list of values")
        return raw
    if name in _BOOL_FIELDS:
        if not isinstance(raw, bool):
            raise ValueError("Give true or false")
        return raw
    if name in {"count", "victim_id"}:
        if raw is None and name == "victim_id":
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError("Give a whole number")
        return raw
    if not isinstance(raw, str):
        raise ValueError("Give text")
    return raw


def incident_input_from_json(row) -> tuple[IncidentInput | None, dict[str, str]]:
    """Parse one incident of a batch. Lean on purpose: at 1,000 rows a serializer per row cost a
    quarter of the request; the rules themselves are checked by `incident_errors`."""
    if not isinstance(row, dict):
        return None, {"row": "Each incident must be an object"}
    errors: dict[str, str] = {}
    unknown = sorted(set(row) - _INPUT_FIELDS)
    if unknown:
        errors["row"] = f"Unknown fields: {', '.join(unknown)}"
    values = {}
    for name in _INPUT_FIELDS & row.keys():
        try:
            values[name] = _json_value(name, row[name])
        except ValueError as exc:
            errors[name] = str(exc)
    for name, message in (("occurred_at", "Enter when it happened"), ("channel", "Choose how the contact was made")):
        if name not in row:
            errors[name] = message
    return (None, errors) if errors else (IncidentInput(**values), {})


def _values(choices) -> frozenset[str]:
    # Choices.values builds a new list on every access: 6 per row made up a third of a batch's time.
    if choices not in _VALUES:
        _VALUES[choices] = frozenset(choices.values)
    return _VALUES[choices]


def _choice_error(value: str, choices, label: str) -> str | None:
    return None if value in _values(choices) else f"Unknown {label} {value!r}"


# The longest text of each free-text field (the input contract: config/input_contract.py).
TEXT_LIMITS = {"weapon": 200, "new_identity": 300, "narrative": input_contract.MAX_TEXT}


def _contract_errors(data: IncidentInput) -> dict[str, str]:
    """The input contract every way in shares: dates of a police record, numbers that fit their column,
    text without NUL and within its length, lists within their size."""
    errors: dict[str, str] = {}
    for name in ("occurred_at", "occurred_until", "reported_at"):
        value = getattr(data, name)
        if value is not None and (message := input_contract.date_error(value)):
            errors[name] = message
    if isinstance(data.count, int) and data.count > input_contract.INT_MAX:
        errors["count"] = input_contract.integer_error(data.count, minimum=1)
    text_names = ("channel", "place", "reported_by", "report_method", "entry", "entry_place", "new_identity_kind")
    for name in text_names:
        if message := input_contract.text_error(getattr(data, name), 100):
            errors[name] = message
    for name, limit in TEXT_LIMITS.items():
        if message := input_contract.text_error(getattr(data, name), limit):
            errors[name] = message
    for name in ("behaviours", "threats", "impacts", "circumstances"):
        if message := input_contract.list_error(getattr(data, name)):
            errors[name] = message
    return errors


def incident_errors(data: IncidentInput, victim_ids: set[int], now: datetime) -> dict[str, str]:
    """Everything wrong with one incident, by field (pure: no database access)."""
    errors = _contract_errors(data)
    if errors:  # the rules below assume values that fit
        return errors
    latest = now + FUTURE_TOLERANCE
    if data.occurred_at is None:
        errors["occurred_at"] = "Enter when it happened"
    elif data.occurred_at > latest:
        errors["occurred_at"] = "When it happened must not be in the future"
    if data.occurred_until is not None and data.occurred_at is not None:
        if data.occurred_until < data.occurred_at:
            errors["occurred_until"] = "The end of the range must be after its start"
        elif data.occurred_until > latest:
            errors["occurred_until"] = "The end of the range must not be in the future"
    if data.reported_at is not None:
        if data.reported_at > latest:
            errors["reported_at"] = "When it was reported must not be in the future"
        elif data.occurred_at is not None and data.reported_at < data.occurred_at:
            errors["reported_at"] = "It cannot have been reported before it happened"
    for name, choices, label in (
        ("channel", c.Channel, "channel"),
        ("reported_by", c.ReportedBy, "reporter"),
        ("report_method", c.ReportMethod, "report method"),
    ):
        if message := _choice_error(getattr(data, name), choices, label):
            errors[name] = message
    if data.place and (message := _choice_error(data.place, c.Place, "place")):
        errors["place"] = message
    for name, choices in (
        ("behaviours", c.Behaviour),
        ("threats", c.Threat),
        ("impacts", c.Impact),
        ("circumstances", c.Circumstance),
    ):
        unknown = sorted(set(getattr(data, name)) - _values(choices))
        if unknown:
            errors[name] = f"Unknown {name}: {', '.join(unknown)}"
    if not isinstance(data.count, int) or data.count < 1:
        errors["count"] = "The number of contacts must be 1 or more"
    errors.update(_fact_errors(data))
    if data.victim_id is not None and data.victim_id not in victim_ids:
        errors["victim_id"] = "Choose a victim in this case"
    return errors


def _fact_errors(data: IncidentInput) -> dict[str, str]:
    """The structured facts: an entry names the place, a new identity names its kind and is well formed."""
    errors: dict[str, str] = {}
    if data.entry and (message := _choice_error(data.entry, c.EntryKind, "entry")):
        errors["entry"] = message
    if data.entry_place and (message := _choice_error(data.entry_place, c.EntryPlace, "place entered")):
        errors["entry_place"] = message
    if data.entry and not data.entry_place:
        errors["entry_place"] = "Say where he got in or tried to"
    elif data.entry_place and not data.entry:
        errors["entry"] = "Say whether he tried to get in, got in or forced entry"
    kind, value = data.new_identity_kind, data.new_identity.strip()
    if kind and (message := _choice_error(kind, c.NewIdentityKind, "kind of identity")):
        errors["new_identity_kind"] = message
    elif kind and not value:
        errors["new_identity"] = "Enter the new number, account or name he used"
    elif value and not kind:
        errors["new_identity_kind"] = "Say whether it is a number, an e-mail address, an account or a name"
    elif kind:
        try:
            identity_key(kind, value)
        except InvalidIdentifier as exc:
            errors["new_identity"] = str(exc)
    return errors


# A new identity is kept on the suspect as an identifier of this kind (an alias for a name).
IDENTITY_IDENTIFIER_KIND = {
    c.NewIdentityKind.PHONE: c.IdentifierKind.PHONE,
    c.NewIdentityKind.EMAIL: c.IdentifierKind.EMAIL,
    c.NewIdentityKind.ACCOUNT: c.IdentifierKind.HANDLE,
}


def identity_key(kind: str, value: str) -> str:
    """The new identity normalised, so the same number typed twice is one identity ("phone:+447700900123")."""
    if kind == c.NewIdentityKind.ALIAS:
        normalised = normalise_full_name(value)
        if not normalised:
            raise InvalidIdentifier("Enter the name he used")
        return f"alias:{normalised}"
    return f"{kind}:{normalise_identifier(IDENTITY_IDENTIFIER_KIND[kind], value)}"


def _link_identities(case: Case, incidents: list[Incident]) -> None:
    """Add each new number, account or name to the suspect's identifiers, when the case has one suspect,
    so a search for it finds him."""
    suspects = list(CaseParty.objects.filter(case=case, role=c.PartyRole.SUSPECT).values_list("person_id", flat=True))
    wanted = {(i.new_identity_kind, i.new_identity) for i in incidents if i.new_identity_kind}
    if len(suspects) != 1 or not wanted:
        return
    (suspect,) = suspects
    for kind, value in sorted(wanted):
        normalised = identity_key(kind, value).split(":", 1)[1]
        if kind == c.NewIdentityKind.ALIAS:
            if not PersonAlias.objects.filter(person_id=suspect, normalised_name=normalised).exists():
                PersonAlias.objects.create(person_id=suspect, name=value, normalised_name=normalised)
            continue
        identifier_kind = IDENTITY_IDENTIFIER_KIND[kind]
        if not PersonIdentifier.objects.filter(
            person_id=suspect, kind=identifier_kind, normalised=normalised, case=None
        ).exists():
            PersonIdentifier.objects.create(
                person_id=suspect, kind=identifier_kind, value=value, normalised=normalised, is_current=True
            )


def _next_number(case: Case) -> int:
    """The next incident number in the case. Call with the case's row locked (`_lock_case`)."""
    return (Incident.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1


def _lock_case(case: Case) -> None:
    # Two officers recording at the same moment must not both take the same number.
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()


def _victim_ids(case: Case) -> set[int]:
    return set(CaseParty.objects.filter(case=case, role=c.PartyRole.VICTIM).values_list("person_id", flat=True))


def _build(case: Case, data: IncidentInput, actor: User, now: datetime, batch=None) -> Incident:
    return Incident(
        case=case,
        victim_id=data.victim_id,
        occurred_at=data.occurred_at,
        occurred_until=data.occurred_until,
        reported_at=data.reported_at or now,
        reported_by=data.reported_by,
        report_method=data.report_method,
        channel=data.channel,
        place=data.place,
        behaviours=sorted(set(data.behaviours)),
        threats=sorted(set(data.threats)),
        weapon=data.weapon.strip(),
        injury=data.injury,
        victim_feared_violence=data.victim_feared_violence,
        impacts=sorted(set(data.impacts)),
        count=data.count,
        narrative=data.narrative.strip(),
        entry=data.entry,
        entry_place=data.entry_place,
        circumstances=sorted(set(data.circumstances)),
        new_identity_kind=data.new_identity_kind,
        new_identity=data.new_identity.strip(),
        batch=batch,
        created_by=actor,
    )


def incident_summary(incident: Incident) -> str:
    count = f" ×{incident.count}" if incident.count > 1 else ""
    place = f" at {incident.get_place_display().lower()}" if incident.place else ""
    threats = f"; threats: {', '.join(incident.threats)}" if incident.threats else ""
    return f"{incident.get_channel_display()}{count}{place}{threats}"


def _timeline_row(incident: Incident, actor: User) -> TimelineEvent:
    return TimelineEvent(
        case_id=incident.case_id,
        occurred_at=incident.occurred_at,
        kind=c.TimelineKind.INCIDENT,
        summary=incident_summary(incident)[:300],
        channel=incident.channel,
        person_id=incident.victim_id,
        count=incident.count,
        source_type=Incident._meta.label_lower,
        source_id=str(incident.pk),
        recorded_by=actor,
    )


def _check_may_edit(actor: User, case: Case) -> None:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not add to this case")


@transaction.atomic
def incident_record(*, actor: User, case: Case, data: IncidentInput) -> Incident:
    _check_may_edit(actor, case)
    now = timezone.now()
    errors = incident_errors(data, _victim_ids(case), now) | sealed_text_errors(
        case, {"narrative": data.narrative, "new_identity": data.new_identity}
    )
    if errors:
        raise InvalidInput(errors)
    incident = _build(case, data, actor, now)
    _lock_case(case)
    incident.number = _next_number(case)
    incident.save()
    _link_identities(case, [incident])
    _timeline_row(incident, actor).save()
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return incident


@transaction.atomic
def incident_update(*, actor: User, incident: Incident, expected_version: int, data: IncidentInput) -> Incident:
    _check_may_edit(actor, incident.case)
    errors = incident_errors(data, _victim_ids(incident.case), timezone.now())
    errors |= sealed_text_errors(incident.case, {"narrative": data.narrative, "new_identity": data.new_identity})
    if errors:
        raise InvalidInput(errors)
    built = _build(incident.case, data, actor, incident.reported_at)
    names = [
        "victim_id", "occurred_at", "occurred_until", "reported_at", "reported_by", "report_method", "channel",
        "place", "behaviours", "threats", "weapon", "injury", "victim_feared_violence", "impacts", "count", "narrative",
        "entry", "entry_place", "circumstances", "new_identity_kind", "new_identity",
    ]  # fmt: skip
    changes = {name: getattr(built, name) for name in names}
    changed = [name for name, value in changes.items() if getattr(incident, name) != value]
    updated = Incident.objects.filter(pk=incident.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        current = Incident.objects.get(pk=incident.pk)
        raise EditConflict(
            "Someone else changed this incident while you were editing it. Check it and try again.",
            current={
                "version": current.version,
                "occurred_at": current.occurred_at.isoformat(),
                "count": current.count,
            },
        )
    incident.refresh_from_db()
    TimelineEvent.objects.filter(source_type=Incident._meta.label_lower, source_id=str(incident.pk)).update(
        occurred_at=incident.occurred_at,
        summary=incident_summary(incident)[:300],
        channel=incident.channel,
        person_id=incident.victim_id,
        count=incident.count,
    )
    if changed:
        audit.record("alter", obj=incident, changes=changed)
    if "new_identity" in changed or "new_identity_kind" in changed:
        _link_identities(incident.case, [incident])
    enqueue_after_commit(alerts_refresh_case, incident.case_id)
    return incident


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _insert_rows(model, objs: list, now: datetime) -> None:
    """COPY unsaved instances in (PostgreSQL), ids drawn from the table's sequence in one query and set
    on the instances. bulk_create's per-value preparation cost more than the insert itself.
    auto_now(_add) fields get `now`."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    auto_now = {f.attname for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)}
    with connection.cursor() as cursor:
        sequence = "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"
        cursor.execute(sequence, [table, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        lines = "".join(
            "\t".join(_copy_text(now if f.attname in auto_now else getattr(obj, f.attname)) for f in fields) + "\n"
            for obj in objs
        )
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(lines))


@dataclass(frozen=True)
class BatchResult:
    batch: IncidentBatch
    created: bool


def incidents_record_batch(
    *,
    actor: User,
    case: Case,
    client_key: str,
    rows: list[IncidentInput],
    source: str = "batch",
    labels: list[str] | None = None,
) -> BatchResult:
    """Record many incidents at once, all or none. Retrying with the same client key adds nothing.

    Errors are reported per row, "Row 3: occurred_at: ..." (or with the given labels, e.g. CSV lines).
    """
    _check_may_edit(actor, case)
    client_key = client_key.strip()
    if not client_key:
        raise InvalidInput({"client_key": "Give the batch a client key so that a retry cannot add it twice"})
    if message := input_contract.text_error(client_key, CLIENT_KEY_MAX):
        raise InvalidInput({"client_key": message})
    if not rows:
        raise InvalidInput({"rows": "The batch has no incidents"})
    if len(rows) > MAX_BATCH:
        raise InvalidInput({"rows": f"A batch can hold at most {MAX_BATCH} incidents; split it"})
    existing = IncidentBatch.objects.filter(case=case, client_key=client_key).first()
    if existing is not None:
        return BatchResult(existing, created=False)
    now = timezone.now()
    victim_ids = _victim_ids(case)
    labels = labels or [f"Row {n}" for n in range(1, len(rows) + 1)]
    row_errors = [
        f"{label}: {name}: {message}"
        for label, data in zip(labels, rows, strict=True)
        for name, message in incident_errors(data, victim_ids, now).items()
    ]
    texts = {
        f"{label}: {name}": getattr(data, name)
        for label, data in zip(labels, rows, strict=True)
        for name in ("narrative", "new_identity")
    }
    row_errors += [f"{where}: {message}" for where, message in sealed_text_errors(case, texts).items()]
    if row_errors:
        raise InvalidInput({"rows": row_errors})
    try:
        with transaction.atomic():
            batch = IncidentBatch.objects.create(
                case=case, client_key=client_key, source=source, incident_count=len(rows), created_by=actor
            )
            incidents = [_build(case, data, actor, now, batch) for data in rows]
            _lock_case(case)
            first = _next_number(case)
            for n, incident in enumerate(incidents):
                incident.number = first + n
            _insert_rows(Incident, incidents, now)
            _link_identities(case, incidents)
            _insert_rows(TimelineEvent, [_timeline_row(incident, actor) for incident in incidents], now)
            # bulk_create sends no signals: one audit row names the batch and its size.
            audit.record(
                "collect",
                object_type=Incident._meta.label_lower,
                object_id=f"batch {batch.pk}",
                detail=f"{len(incidents)} incidents in case {case.reference} ({source}, key {client_key})"[:500],
            )
    except IntegrityError:
        # The same key committed concurrently: that request did the work.
        return BatchResult(IncidentBatch.objects.get(case=case, client_key=client_key), created=False)
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return BatchResult(batch, created=True)
