"""A victim's own log as CSV: the downloadable template, and parsing it with line-numbered errors."""

import csv
import io
from datetime import datetime

from casework import choices as c
from casework.services.incidents import IncidentInput
from config.errors import InvalidInput
from config.input_contract import parse_record_datetime

COLUMNS = [
    "occurred_at", "occurred_until", "channel", "place", "count", "behaviours", "threats", "weapon",
    "injury", "narrative", "entry", "entry_place", "circumstances", "new_identity_kind", "new_identity",
]  # fmt: skip
EXAMPLE = {
    "occurred_at": "2026-03-14 08:05",
    "occurred_until": "2026-03-14 23:10",
    "channel": c.Channel.TEXT.value,
    "place": c.Place.ONLINE.value,
    "count": "43",
    "behaviours": "contacting",
    "threats": "",
    "weapon": "",
    "injury": "no",
    "narrative": "43 texts from his new number asking where I am",
    "entry": "",
    "entry_place": "",
    "circumstances": "at_night",
    "new_identity_kind": c.NewIdentityKind.PHONE.value,
    "new_identity": "07700 900123",
}
MAX_BYTES = 5 * 1024 * 1024


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    out.write("# channel: " + " | ".join(c.Channel.values) + "\n")
    out.write("# place: " + " | ".join(c.Place.values) + "\n")
    out.write("# behaviours (separate with ;): " + " | ".join(c.Behaviour.values) + "\n")
    out.write("# threats (separate with ;): " + " | ".join(c.Threat.values) + "\n")
    out.write("# entry: " + " | ".join(c.EntryKind.values) + "; entry_place: " + " | ".join(c.EntryPlace.values) + "\n")
    out.write("# circumstances (separate with ;): " + " | ".join(c.Circumstance.values) + "\n")
    out.write("# new_identity_kind: " + " | ".join(c.NewIdentityKind.values) + "\n")
    return out.getvalue()


def _when(text: str, name: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_record_datetime(text.replace("/", "-"))
    except ValueError as exc:
        raise ValueError(f"{name}: {exc} (use YYYY-MM-DD HH:MM, or add +01:00 or +00:00)") from exc


def _count(text: str) -> int:
    text = text.strip()
    if not text:
        return 1
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"count: {text[:20]!r} is not a whole number")
    return int(text)


def _records(reader: csv.DictReader):
    """(line number, record) for each record; a line the csv module cannot read ends the file with that line's
    number (after a quote left open nothing later can be read reliably)."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = exc
            if "limit" in str(exc):
                reason = f'a field runs on past {csv.field_size_limit():,} characters: is a quote (") left open?'
            raise ValueError(f"Line {start}: {reason}") from exc
        yield reader.line_num, record


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def parse_incident_csv(raw: bytes, victim_id: int | None) -> tuple[list[IncidentInput], list[str]]:
    """The incidents and their line labels ("Line 7"), or InvalidInput naming every bad line."""
    if len(raw) > MAX_BYTES:
        raise InvalidInput({"file": "The CSV file is larger than 5 MB; split it"})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput({"file": "The CSV file must be saved as UTF-8"}) from exc
    # A comment line is read as a blank one, so that the reader's line numbers are the file's.
    reader = csv.DictReader("\n" if line.startswith("#") else line for line in io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InvalidInput({"file": f"Line 1: the column names cannot be read ({exc})"}) from exc
    missing = [name for name in ("occurred_at", "channel") if name not in header]
    if missing:
        raise InvalidInput({"file": f"The CSV file has no column {', '.join(missing)}: use the template"})
    rows, labels, errors = [], [], []
    try:
        for line_number, record in _records(reader):
            _parse_record(record, line_number, victim_id, rows, labels, errors)
    except ValueError as exc:
        errors.append(str(exc))
    if errors:
        raise InvalidInput({"file": errors})
    if not rows:
        raise InvalidInput({"file": "The CSV file has no incidents in it"})
    return rows, labels


def _parse_record(record: dict, line_number: int, victim_id, rows: list, labels: list, errors: list) -> None:
    record = {k: (v or "") for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}
    if not any(v.strip() for v in record.values()):
        return
    try:
        rows.append(
            IncidentInput(
                occurred_at=_when(record.get("occurred_at", ""), "occurred_at"),
                occurred_until=_when(record.get("occurred_until", ""), "occurred_until"),
                channel=record.get("channel", "").strip(),
                place=record.get("place", "").strip(),
                count=_count(record.get("count", "")),
                behaviours=_list(record.get("behaviours", "")),
                threats=_list(record.get("threats", "")),
                weapon=record.get("weapon", "").strip(),
                injury=record.get("injury", "").strip().lower() in {"yes", "y", "true", "1"},
                narrative=record.get("narrative", "").strip(),
                entry=record.get("entry", "").strip(),
                entry_place=record.get("entry_place", "").strip(),
                circumstances=_list(record.get("circumstances", "")),
                new_identity_kind=record.get("new_identity_kind", "").strip(),
                new_identity=record.get("new_identity", "").strip(),
                victim_id=victim_id,
                reported_by=c.ReportedBy.VICTIM,
                report_method=c.ReportMethod.VICTIM_LOG,
            )
        )
        labels.append(f"Line {line_number}")
    except ValueError as exc:
        errors.append(f"Line {line_number}: {exc}")
