"""Every alert check over 100,000 open cases: wall time per check and query counts as data grows.

    .venv/bin/python bench/alert_checks.py [--cases 100000]

Uses its own PostgreSQL database (casework_bench_alerts, dropped and re-created) seeded with
`manage.py seed_scale`, then `seed_scale_protection` (orders, bail, notices and breaches on those
cases). Target (the workers issue): all checks over 100,000 open cases within 30 s on this 2-core
machine, with a query count that does not depend on the number of cases.
"""

import argparse
import os
import subprocess
import sys
import time

os.environ["BENCH_DB"] = "casework_bench_alerts"
import benchenv  # noqa: E402

TARGET_SECONDS = 30


def _recreate_database() -> None:
    import psycopg2

    conn = psycopg2.connect(benchenv.PG_DSN + " dbname=postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {benchenv.BENCH_DB}")
        cursor.execute(f"CREATE DATABASE {benchenv.BENCH_DB}")
    conn.close()


def _manage(*args: str) -> None:
    env = {**os.environ, **benchenv.ENV}
    subprocess.run([sys.executable, "manage.py", *args], cwd=benchenv.ROOT, env=env, check=True, capture_output=True)


def _run_checks(label: str) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from casework import alerts
    from casework.models import Alert

    print(f"\n{label}")
    total = 0.0
    for check in alerts.all_checks():
        Alert.objects.filter(kind=check.kind).delete()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = alerts.sweep(check)
            elapsed = time.perf_counter() - started
        total += elapsed
        print(f"  {check.kind:35} {elapsed:7.2f} s  {len(captured):3d} queries  raised {result.raised:6d}")
        rerun = time.perf_counter()
        again = alerts.sweep(check)
        print(f"  {'':35} re-run {time.perf_counter() - rerun:6.2f} s  raised {again.raised} (must be 0)")
    verdict = "OK" if total <= TARGET_SECONDS else "MISSED"
    print(f"  all checks: {total:.1f} s (target ≤ {TARGET_SECONDS} s) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    _recreate_database()
    _manage("migrate", "-v0")
    small = 1_000
    _manage("seed_scale", "--cases", str(small), "--synthetic")
    _manage("seed_scale_protection", "--synthetic")
    benchenv.django_setup()
    _run_checks(f"{small:,} open cases")
    started = time.perf_counter()
    _manage("seed_scale", "--cases", str(args.cases - small), "--synthetic")
    _manage("seed_scale_protection", "--synthetic")
    print(f"\nseeded {args.cases - small:,} more cases in {time.perf_counter() - started:.0f} s")
    _run_checks(f"{args.cases:,} open cases")


if __name__ == "__main__":
    main()
