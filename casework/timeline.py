"""The course-of-conduct timeline: the one interface through which every app adds to a case's story.

Other apps call `timeline_record(...)` inside their own service's transaction, e.g.

    timeline_record(case=order.case, kind=TimelineKind.ORDER, occurred_at=order.granted_at,
                    summary="Interim SPO granted", source=order, actor=actor)

and never write TimelineEvent themselves. Reads go through `timeline_page` (keyset pagination in a
stable order: newest first, ties broken by id).
"""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from casework.models import Case, Person, TimelineEvent
from config.errors import InvalidInput

PAGE_SIZE = 50
FIELDS = ("id", "occurred_at", "kind", "summary", "channel", "person_id", "count", "source_type", "source_id")


def timeline_record(
    *,
    case: Case,
    kind: str,
    occurred_at: datetime,
    summary: str,
    source: models.Model | None = None,
    channel: str = "",
    person: Person | None = None,
    count: int = 1,
    actor=None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary[:300],
        channel=channel,
        person=person,
        count=count,
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
        recorded_by=actor,
    )


@dataclass(frozen=True)
class TimelineFilters:
    kinds: tuple[str, ...] = ()
    channel: str = ""
    person_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def encode_cursor(row: dict) -> str:
    raw = json.dumps([row["occurred_at"].isoformat(), row["id"]])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        occurred_at, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        parsed = parse_datetime(occurred_at)
        if parsed is None or not isinstance(pk, int):
            raise ValueError
        return parsed, pk
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise InvalidInput({"cursor": "The cursor is not valid. Start again from the first page."}) from exc


def timeline_page(
    case_id: int, *, filters: TimelineFilters = TimelineFilters(), cursor: str | None = None, limit: int = PAGE_SIZE
) -> tuple[list[dict], str | None]:
    """Up to `limit` events newest first, and the cursor of the next page (None at the end).

    Keyset, not OFFSET: a deep page costs what the first does. The "after the cursor" condition is
    written as <= plus an exclusion, which PostgreSQL serves from the (case, -occurred_at, -id) index.
    """
    rows = TimelineEvent.objects.filter(case_id=case_id)
    if filters.kinds:
        rows = rows.filter(kind__in=filters.kinds)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.person_id:
        rows = rows.filter(person_id=filters.person_id)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        rows = rows.filter(occurred_at__gte=datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        rows = rows.filter(occurred_at__lte=datetime.combine(filters.date_to, time.max, tz))
    if cursor:
        occurred_at, pk = decode_cursor(cursor)
        rows = rows.filter(occurred_at__lte=occurred_at).exclude(occurred_at=occurred_at, id__gte=pk)
    page = list(rows.order_by("-occurred_at", "-id").values(*FIELDS)[: limit + 1])
    next_cursor = encode_cursor(page[limit - 1]) if len(page) > limit else None
    return page[:limit], next_cursor
