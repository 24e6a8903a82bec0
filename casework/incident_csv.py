"""A victim's own log as CSV: the downloadable template, and parsing it with line-numbered errors."""

import csv
import io
import re
from datetime import datetime, time

from django.db import models
from django.utils.dateparse import parse_date

from casework import choices as c
from casework.services.incidents import IncidentInput
from config.errors import InvalidInput
from config.input_contract import parse_record_datetime, record_datetime

COLUMNS = [
    "occurred_at", "occurred_until", "channel", "place", "count", "behaviours", "threats", "weapon",
    "injury", "narrative", "entry", "entry_place", "circumstances", "new_identity_kind", "new_identity",
]  # fmt: skip
EXAMPLE = {
    "occurred_at": "14/03/2026 08:05",
    "occurred_until": "14/03/2026 23:10",
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
    out.write(f"# occurred_at, occurred_until: {DATE_HINT}\n")
    for column, choices in _CHOICE_COLUMNS.items():
        several = " (separate with ;)" if column in ("behaviours", "threats", "circumstances") else ""
        out.write(f"# {column}{several}: " + " | ".join(str(label) for label in choices.labels) + "\n")
    return out.getvalue()


# Dates as victims and advocates write them: 14/03/2026, 14/3/26, 14.03.2026 8:05pm, with or without a time.
_UK_DATE = re.compile(
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"
    r"(?:(?:\s*,\s*|\s+|T)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap])?\.?m?\.?)?",
    re.IGNORECASE,
)
DATE_HINT = (
    "write it as 14/03/2026 08:05 (day/month/year, 24-hour) or 14/03/2026 for the whole day;"
    " in the hour the clocks go back, add +01:00 or +00:00"
)


def _uk_datetime(match: re.Match) -> tuple[datetime, bool]:
    """The naive local datetime written, and whether a time was given."""
    year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
    hour, minute, second = int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{match[0]!r} is not a time of day")
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    try:
        return datetime(year, int(match["m"]), int(match["d"]), hour, minute, second), match["H"] is not None
    except ValueError as exc:  # 31/02, 25:00, 14/13/2026
        raise ValueError(f"{match[0]!r} is not a real date and time") from exc


def _when(text: str, name: str, *, end_of_day: bool = False) -> tuple[datetime | None, bool]:
    """The moment written and whether it had a time; a date alone is the start of its day (or, with
    `end_of_day`, its last minute)."""
    text = text.strip()
    if not text:
        return None, False
    try:
        if match := _UK_DATE.fullmatch(text):
            moment, timed = _uk_datetime(match)
        elif day := _iso_date(text):
            moment, timed = datetime.combine(day, time()), False
        else:
            return parse_record_datetime(text.replace("/", "-")), True
        if not timed and end_of_day:
            moment = moment.replace(hour=23, minute=59)
        return record_datetime(moment), timed
    except ValueError as exc:
        raise ValueError(f"{name}: {exc} ({DATE_HINT})") from exc


def _iso_date(text: str):
    try:
        return parse_date(text.replace("/", "-"))
    except ValueError:  # well formed but impossible
        return None


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


def _key(text: str) -> str:
    """Text compared case-, space- and punctuation-blind: "E-mail" and "email", "Victim's home" and "victims home"."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


# Columns by the names people give them; the template's names are always understood.
_COLUMN_SYNONYMS = {
    "occurred_at": ["date", "when", "date and time", "date time", "from", "start"],
    "occurred_until": ["until", "to", "end", "ended"],
    "channel": ["how", "how he made contact", "contact", "method", "type"],
    "place": ["where", "location"],
    "count": ["how many", "number", "times"],
    "narrative": ["what happened", "details", "description", "notes", "account"],
    "injury": ["injured", "injuries"],
}
_COLUMNS = {_key(name): name for name in COLUMNS} | {
    _key(synonym): name for name, synonyms in _COLUMN_SYNONYMS.items() for synonym in synonyms
}

# Words people use for a choice, beyond its value and its label on the screens.
_SYNONYMS: dict[type[models.TextChoices], dict[str, list[str]]] = {
    c.Channel: {
        c.Channel.IN_PERSON: ["face to face", "turned up", "at the door", "approached"],
        c.Channel.PHONE_CALL: ["call", "calls", "phone", "phoned", "rang", "missed call", "voicemail"],
        c.Channel.TEXT: ["texts", "texted", "sms", "txt"],
        c.Channel.EMAIL: ["emails", "emailed", "mail"],
        c.Channel.SOCIAL_MEDIA: ["social", "facebook", "instagram", "twitter", "x", "tiktok", "snapchat"],
        c.Channel.MESSAGING_APP: ["whatsapp", "messenger", "signal", "telegram", "imessage", "message"],
        c.Channel.LETTER: ["letters", "post", "card", "note"],
        c.Channel.GIFT: ["parcel", "present", "flowers", "package", "delivery"],
        c.Channel.THIRD_PARTY: ["via friends", "through friends", "via the children", "through the children"],
        c.Channel.ONLINE_PUBLICATION: ["posted online", "published online"],
        c.Channel.TRACKING: ["tracker", "gps", "spyware", "account access", "hacked"],
        c.Channel.PROPERTY_DAMAGE: ["damage", "criminal damage", "damaged"],
        c.Channel.LOITERING: ["following", "followed", "watching", "watched", "loitered", "outside"],
    },
    c.Place: {
        c.Place.VICTIM_HOME: ["home", "my home", "her home", "house", "at home", "flat"],
        c.Place.VICTIM_WORK: ["work", "my work", "her work", "workplace", "office"],
        c.Place.SCHOOL: ["nursery", "school gates", "college"],
        c.Place.PUBLIC: ["street", "public", "shop", "shops", "town", "park", "bus stop"],
        c.Place.ONLINE: ["internet", "on line"],
    },
    c.Threat: {
        c.Threat.KILL: ["kill", "to kill me", "death"],
        c.Threat.CHILDREN_PETS: ["children", "pets", "kids"],
    },
    c.EntryPlace: {c.EntryPlace.HOME: ["home", "my home"], c.EntryPlace.CAR: ["car", "my car"]},
}


def _names(choices: type[models.TextChoices]) -> dict[str, str]:
    """Each way of writing a choice (value, label, the label without its "(a) ", synonyms) → its value."""
    names = {}
    for value, label in choices.choices:
        for name in (value, label, re.sub(r"^\([a-z]\)\s*", "", label), *_SYNONYMS.get(choices, {}).get(value, [])):
            names.setdefault(_key(name), value)
    return names


_CHOICE_COLUMNS: dict[str, type[models.TextChoices]] = {
    "channel": c.Channel, "place": c.Place, "behaviours": c.Behaviour, "threats": c.Threat,
    "entry": c.EntryKind, "entry_place": c.EntryPlace, "circumstances": c.Circumstance,
    "new_identity_kind": c.NewIdentityKind,
}  # fmt: skip
_CHOICE_NAMES = {column: _names(choices) for column, choices in _CHOICE_COLUMNS.items()}


def _choice(text: str, column: str) -> str:
    text = text.strip()
    if not text:
        return ""
    value = _CHOICE_NAMES[column].get(_key(text))
    if value is None:
        labels = ", ".join(str(label) for label in _CHOICE_COLUMNS[column].labels)
        raise ValueError(f"{column}: {text[:40]!r} is not one we know; write one of: {labels}")
    return value


def _list(text: str, column: str) -> list[str]:
    return [_choice(part, column) for part in text.replace(",", ";").split(";") if part.strip()]


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
    # Columns named as on the screens or in plain words ("Date", "How", "Where") are read as the template's.
    header = reader.fieldnames = [_COLUMNS.get(_key(name), name) if isinstance(name, str) else name for name in header]
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
    """One line as an incident, or every mistake in it (each its own error, so all are listed at once)."""
    record = {k: (v or "") for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}
    if not any(v.strip() for v in record.values()):
        return
    problems: list[str] = []

    def read(parse, *args, default=None, **kwargs):
        try:
            return parse(*args, **kwargs)
        except ValueError as exc:
            problems.append(str(exc))
            return default

    occurred_at, timed = read(_when, record.get("occurred_at", ""), "occurred_at", default=(None, True))
    occurred_until, _ = read(
        _when, record.get("occurred_until", ""), "occurred_until", end_of_day=True, default=(None, True)
    )
    if occurred_at is not None and not timed and occurred_until is None:
        # A date alone: sometime that day, recorded as the range of the day.
        occurred_until = occurred_at.replace(hour=23, minute=59)
    fields = {
        "channel": read(_choice, record.get("channel", ""), "channel", default=""),
        "place": read(_choice, record.get("place", ""), "place", default=""),
        "count": read(_count, record.get("count", ""), default=1),
        "behaviours": read(_list, record.get("behaviours", ""), "behaviours", default=[]),
        "threats": read(_list, record.get("threats", ""), "threats", default=[]),
        "entry": read(_choice, record.get("entry", ""), "entry", default=""),
        "entry_place": read(_choice, record.get("entry_place", ""), "entry_place", default=""),
        "circumstances": read(_list, record.get("circumstances", ""), "circumstances", default=[]),
        "new_identity_kind": read(_choice, record.get("new_identity_kind", ""), "new_identity_kind", default=""),
    }
    if problems:
        errors.extend(f"Line {line_number}: {problem}" for problem in problems)
        return
    rows.append(
        IncidentInput(
            occurred_at=occurred_at,
            occurred_until=occurred_until,
            weapon=record.get("weapon", "").strip(),
            injury=record.get("injury", "").strip().lower() in {"yes", "y", "true", "1"},
            narrative=record.get("narrative", "").strip(),
            new_identity=record.get("new_identity", "").strip(),
            victim_id=victim_id,
            reported_by=c.ReportedBy.VICTIM,
            report_method=c.ReportMethod.VICTIM_LOG,
            **fields,
        )
    )
    labels.append(f"Line {line_number}")
