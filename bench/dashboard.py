"""The supervisor's dashboard at 1,000, 10,000 and 100,000 open cases: time, queries, and the risk
figures read from each case's stored grade and level against the per-case subqueries they replaced.

In its own database (`casework_bench_dashboard`: dropped, re-created and migrated), filled with
`manage.py seed_scale --synthetic` (victim, incidents, contacts, evidence tasks per case) up to each
size; a third of the cases get a stored grade and level. Each time is the median of 7 runs after 2
warm-ups, through Django's test client as a supervisor of the unit (DEBUG off). The goal: ≤ 1.5× from
1,000 to 100,000, queries independent of the number of cases.

    .venv/bin/python bench/dashboard.py        # about 5 min on a quiet machine
"""

import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("BENCH_DB", "casework_bench_dashboard")
import benchenv  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
RUNS, WARM = 7, 2


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


def median_ms(action) -> float:
    for _ in range(WARM):
        action()
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    fresh_database()
    benchenv.django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, OuterRef, Subquery
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.choices import Role
    from accounts.models import Unit, User
    from casework.models import Case
    from casework.selectors import case_list_for_user
    from risk.models import CaseRiskState, EscalationSnapshot, RiskAssessment
    from risk.selectors import DONE, with_latest_risk

    def per_case_subqueries(cases):  # what with_latest_risk did before the stored state: the reference
        grade = RiskAssessment.objects.filter(case_id=OuterRef("pk"), status__in=DONE).order_by("-completed_at", "-id")
        level = EscalationSnapshot.objects.filter(case_id=OuterRef("pk")).order_by("-computed_at", "-id")
        return cases.annotate(
            risk_grade=Subquery(grade.values("grade")[:1]), escalation_level=Subquery(level.values("level")[:1])
        )

    def by_grade_and_level(annotated) -> list:  # counted by the database, as risk/dashboard.py does
        return list(annotated.order_by().values_list("risk_grade", "escalation_level").annotate(n=Count("pk")))

    client, supervisor, seeded, results = Client(), None, 0, {}
    for size in SIZES:
        began = time.perf_counter()
        call_command("seed_scale", cases=size - seeded, synthetic=True, stdout=open(os.devnull, "w"))
        seeded = size
        if supervisor is None:
            unit = Unit.objects.get(code="scale-unit")
            supervisor = User.objects.create_user("bench.supervisor", role=Role.SUPERVISOR, unit=unit)
            client.force_login(supervisor)
        missing = Case.objects.filter(risk_state__isnull=True).values_list("pk", flat=True)
        CaseRiskState.objects.bulk_create(
            (
                CaseRiskState(case_id=pk, grade=["standard", "medium", "high"][pk % 3], level="rising")
                for pk in missing
                if pk % 3 == 0
            ),
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"seeded {size:,} open cases in {time.perf_counter() - began:.0f} s", flush=True)
        page = median_ms(lambda: client.get("/dashboard/"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        open_cases = case_list_for_user(supervisor, status="open").order_by()
        stored = median_ms(lambda cases=open_cases: by_grade_and_level(with_latest_risk(cases)))
        old = median_ms(lambda cases=open_cases: by_grade_and_level(per_case_subqueries(cases)))
        results[size] = page
        print(
            f"dashboard at {size:>7,} open cases: {page:7.1f} ms = {page / results[SIZES[0]]:5.2f}× the 1,000-case"
            f" page, {len(queries)} queries; risk figures from the stored state {stored:6.1f} ms,"
            f" per-case subqueries {old:6.1f} ms ({old / stored:4.1f}×)",
            flush=True,
        )
    ratio = results[SIZES[-1]] / results[SIZES[0]]
    print(f"goal: ≤ 1.5× from 1,000 to 100,000: {ratio:.2f}× {'OK' if ratio <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
