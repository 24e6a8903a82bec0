"""Create the benchmark database `casework_bench` from scratch (drop, create, migrate, fill).

    .venv/bin/python bench/seed.py

Users and cases go through the app's services (user_create, case_open: a handful of calls, with their
audit rows). The 1.1 million timeline events are written with COPY, not timeline_record(): one ORM
insert per event would take tens of minutes and the write path is not what is measured here. Their
source ids point at no Incident row; the timeline read never follows them.
"""

import io
import random
import time
from datetime import UTC, datetime, timedelta

import psycopg2
from benchenv import (
    BATCH_CASE,
    BENCH_DB,
    EVENTS_PER_CASE,
    FILLER_CASES,
    MEASURED_CASES,
    PG_DSN,
    UNIT_CODE,
    USERNAME,
    django_setup,
)

CHANNELS = ["text", "phone_call", "email", "social_media", "messaging_app", "in_person", "letter"]
SUMMARIES = {
    "text": "Text message",
    "phone_call": "Phone call",
    "email": "E-mail",
    "social_media": "Social media",
    "messaging_app": "Messaging app",
    "in_person": "In person",
    "letter": "Letter",
}
SPAN_SECONDS = 3 * 365 * 24 * 3600  # events spread over three years


def recreate_database() -> None:
    conn = psycopg2.connect(PG_DSN + " dbname=postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {BENCH_DB}")
    conn.close()


def event_lines(case_id: int, n: int, officer_id: int, rng: random.Random, end: datetime) -> list[str]:
    """n COPY lines for one case. Whole-second times, so some events tie and the id tie-break matters."""
    lines = []
    for _ in range(n):
        at = end - timedelta(seconds=rng.randrange(SPAN_SECONDS))
        channel = rng.choice(CHANNELS)
        count = rng.choice((1, 1, 1, 2, 5, 43))
        summary = SUMMARIES[channel] + (f" ×{count}" if count > 1 else "") + " at home; threats: violence"
        lines.append(
            f"{case_id}\t{at.isoformat()}\tincident\t{summary}\t{channel}\t\\N\t{count}\t"
            f"casework.incident\t{rng.randrange(10**7)}\t{officer_id}\t{end.isoformat()}\n"
        )
    return lines


def main() -> None:
    started = time.perf_counter()
    recreate_database()
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.choices import Role
    from accounts.models import Force, Unit
    from accounts.services import user_create
    from casework.services.cases import case_open

    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")

    # Places are plain rows (no service creates forces or units outside the admin).
    force = Force.objects.create(code="bench", name="Bench Constabulary")
    Unit.objects.create(force=force, code=UNIT_CODE, name="Bench stalking unit")
    officer = user_create(
        username=USERNAME, role=Role.OFFICER, place_code=UNIT_CODE, password="bench-officer-password-not-secret"
    )

    plan = [(f"bench filler {n}", EVENTS_PER_CASE) for n in range(FILLER_CASES)]
    plan += list(MEASURED_CASES.items()) + [(BATCH_CASE, 1)]
    cases = [(case_open(actor=officer, title=title), n) for title, n in plan]
    print(f"{len(cases)} cases opened in {time.perf_counter() - started:.1f} s")

    # case_open wrote each case's first event ("case opened"); COPY the other n - 1. The lines are
    # shuffled so that one case's events are scattered over the heap, as years of interleaved work
    # leave them (the worst case for reading a page; the index does the ordering).
    rng = random.Random(20240601)
    end = datetime.now(UTC) - timedelta(hours=1)
    lines = [line for case, n in cases for line in event_lines(case.pk, n - 1, officer.pk, rng, end)]
    rng.shuffle(lines)
    columns = "case_id, occurred_at, kind, summary, channel, person_id, count, source_type, source_id, "
    columns += "recorded_by_id, recorded_at"
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY casework_timelineevent ({columns}) FROM STDIN", io.StringIO("".join(lines)))
        cursor.execute("VACUUM ANALYZE casework_timelineevent")
        cursor.execute("SELECT count(*) FROM casework_timelineevent")
        total = cursor.fetchone()[0]
    print(f"{total:,} timeline events in {time.perf_counter() - started:.1f} s")
    print(f"bench officer {USERNAME} (bench/run.py issues its token)")


if __name__ == "__main__":
    main()
