"""The case page at 10, 1,000 and 10,000 incidents: server time, HTML size and queries.

In its own database (`casework_bench_casepage`: dropped, re-created and migrated). Three cases get the
same kind of campaign (four channels, busy days, fear of violence, following) through the batch service;
the per-case refresher then runs as it does after every change, and the page is fetched through Django's
test client, logged in as the officer (DEBUG off). Each time is the median of 15 runs after 3 warm-ups.
The reference is the 10-incident case measured in the same run: the goal is ≤ 1.5× its time and HTML
≤ 150 KB at 10,000. The last line is the first view after a change whose refresh has not run yet
(the page works the summaries out itself).

    .venv/bin/python bench/case_page.py        # about 2 min
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta

os.environ.setdefault("BENCH_DB", "casework_bench_casepage")
import benchenv  # noqa: E402

SIZES = (10, 1_000, 10_000)
RUNS, WARM = 15, 3


def fresh_database() -> None:
    import psycopg2

    conn = psycopg2.connect(benchenv.PG_DSN + " dbname=postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {benchenv.BENCH_DB}")
        cursor.execute(f"CREATE DATABASE {benchenv.BENCH_DB}")
    conn.close()
    env = {**os.environ, **benchenv.ENV}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=benchenv.ROOT, env=env, check=True)


def seed(officer, n: int):
    from django.utils import timezone

    from casework.choices import Behaviour, Channel, PartyRole
    from casework.services.cases import case_open
    from casework.services.incidents import IncidentInput, incidents_record_batch
    from casework.services.people import party_add, person_create

    case = case_open(actor=officer, title=f"bench case page {n}", is_stalking=True)
    victim = person_create(actor=officer, first_name="Bench", last_name=f"Victim{n}", case=case)
    party_add(actor=officer, case=case, person=victim, role=PartyRole.VICTIM, relationship_to_suspect="")
    channels = [Channel.TEXT, Channel.EMAIL, Channel.PHONE_CALL, Channel.THIRD_PARTY]
    now = timezone.now()
    rows = [
        IncidentInput(
            occurred_at=now - timedelta(days=1, minutes=k * 525_600 // n),  # over a year, whatever n
            channel=channels[k % 4],
            victim_id=victim.pk,
            count=25 if k % 7 == 0 else 1,
            victim_feared_violence=k % 3 == 0,
            behaviours=[Behaviour.FOLLOWING] if k % 5 == 0 else [],
        )
        for k in range(n)
    ]
    for first in range(0, n, 1000):
        incidents_record_batch(
            actor=officer, case=case, client_key=f"page-{n}-{first}", rows=rows[first : first + 1000]
        )
    return case


def measure(client, case) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("casework:case-detail", args=[case.pk])
    for _ in range(WARM):
        client.get(url)
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(response.content), len(queries)


def main() -> None:
    fresh_database()
    benchenv.django_setup()
    from django.test import Client

    from accounts.choices import Role
    from accounts.models import Force, Unit, User
    from casework.alerts import case_refresh
    from casework.models import CaseSummary

    force = Force.objects.create(name="Bench force", code="bench")
    unit = Unit.objects.create(force=force, name="Bench unit", code="bench-page")
    officer = User.objects.create_user("bench.casepage", role=Role.OFFICER, unit=unit)
    cases = {}
    for n in SIZES:
        began = time.perf_counter()
        cases[n] = seed(officer, n)
        case_refresh(cases[n].pk)  # what the refresher does after the last change
        print(f"seeded {n:,} incidents and refreshed in {time.perf_counter() - began:.1f} s", flush=True)
    client = Client()
    client.force_login(officer)
    results = {n: measure(client, cases[n]) for n in SIZES}
    base_ms, base_size, _ = results[SIZES[0]]
    for n, (ms, size, queries) in results.items():
        print(
            f"case page at {n:>6,} incidents: {ms:6.1f} ms = {ms / base_ms:4.2f}× the 10-incident page,"
            f" HTML {size / 1024:6.1f} KB ({size / base_size:4.2f}×), {queries} queries"
        )
    ms, size, _ = results[SIZES[-1]]
    print(
        f"goal at 10,000: ≤ 1.5× ({'OK' if ms <= 1.5 * base_ms else 'MISSED'}), HTML ≤ 150 KB"
        f" ({'OK' if size <= 150 * 1024 else 'MISSED'})"
    )
    # The first view after a change the refresher has not reached yet pays for the summaries once.
    from django.urls import reverse

    CaseSummary.objects.filter(case=cases[SIZES[-1]]).delete()
    began = time.perf_counter()
    client.get(reverse("casework:case-detail", args=[cases[SIZES[-1]].pk]))
    cold = (time.perf_counter() - began) * 1000
    print(f"first view at 10,000 before the refresher has run: {cold:.0f} ms = {cold / base_ms:.1f}× (once per change)")


if __name__ == "__main__":
    main()
