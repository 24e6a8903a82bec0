"""Measure the timeline and batch targets against the seeded bench database, in one run.

.venv/bin/python bench/seed.py   # once (about 40 s)
.venv/bin/python bench/run.py    # about 2 minutes; --no-http skips gunicorn + wrk
"""

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg2
from benchenv import BATCH_CASE, BENCH_DB, ENV, MEASURED_CASES, PG_DSN, ROOT, TIMELINE_CASE, USERNAME, django_setup

WARMUP, ITERATIONS = 30, 300
BATCH_WARMUP, BATCH_ITERATIONS, BATCH_SIZE = 3, 15, 1000
DEEP_PAGE = 100
PORT = 8765
WRK_SECONDS, WRK_CONNECTIONS = 15, 50
STACK_MD_RAW_MS = 0.69  # ../shared/docs/stack.md, "Performance facts measured here"

RAW_SQL = """
SELECT id, occurred_at, kind, summary, channel, person_id, count, source_type, source_id
FROM casework_timelineevent WHERE case_id = %s {after}
ORDER BY occurred_at DESC, id DESC LIMIT 51
"""


def median_ms(fn, warmup: int = WARMUP, iterations: int = ITERATIONS) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def raw_sql_medians(case_id: int, cursor_row: tuple) -> tuple[float, float]:
    """The keyset query alone: psycopg2, warm connection, rows fetched and typecast."""
    conn = psycopg2.connect(PG_DSN + f" dbname={BENCH_DB}")
    conn.autocommit = True
    cur = conn.cursor()

    def first():
        cur.execute(RAW_SQL.format(after=""), [case_id])
        assert len(cur.fetchall()) == 51

    def deep():
        cur.execute(RAW_SQL.format(after="AND (occurred_at, id) < (%s, %s)"), [case_id, *cursor_row])
        assert len(cur.fetchall()) == 51

    result = median_ms(first), median_ms(deep)
    conn.close()
    return result


def round_trip_floor_ms(client, url: str) -> tuple[float, int]:
    """The database round trips one timeline request cannot avoid, replayed with psycopg2 alone.

    The request's own statements (token, case, page, audit append) are captured and replayed on a
    warm connection after the `SELECT 1` health check Django makes on a reused connection. What the
    request takes beyond this is Python: HTTP, middleware, authentication, JSON.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    statements = ["SELECT 1", *(q["sql"] for q in queries.captured_queries)]
    conn = psycopg2.connect(PG_DSN + f" dbname={BENCH_DB}")
    conn.autocommit = True
    cur = conn.cursor()

    def replay():
        for sql in statements:
            cur.execute(sql)
            cur.fetchall()

    result = median_ms(replay)
    conn.close()
    return result, len(statements)


def install_peer() -> None:
    """The same timeline as a stock DRF endpoint would serve it, mounted beside the app's URLs for this run
    only: the reference the product's hand-written view must stay ahead of."""
    import types

    from django.conf import settings
    from django.urls import clear_url_caches, include, path
    from rest_framework import generics, pagination, serializers

    from accounts import audit, policy
    from casework.models import TimelineEvent

    class PeerSerializer(serializers.ModelSerializer):
        class Meta:
            model = TimelineEvent
            fields = [
                "id",
                "occurred_at",
                "kind",
                "summary",
                "channel",
                "person_id",
                "count",
                "source_type",
                "source_id",
            ]

    class PeerPagination(pagination.CursorPagination):
        ordering = ("-occurred_at", "-id")
        page_size = 50

    class PeerTimeline(generics.ListAPIView):
        serializer_class, pagination_class = PeerSerializer, PeerPagination

        def get_queryset(self):
            case = policy.access_case(self.request.user, self.kwargs["case_id"])
            audit.consulted(case, detail="timeline")
            return TimelineEvent.objects.filter(case_id=case.pk)

    module = types.ModuleType("bench_peer_urls")
    module.urlpatterns = [
        path("peer/cases/<int:case_id>/timeline/", PeerTimeline.as_view()),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def peer_url(case_id: int) -> str:
    return f"/peer/cases/{case_id}/timeline/"


def timeline_section(client, cases: dict) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.models import TimelineEvent
    from casework.timeline import PAGE_SIZE, encode_cursor

    case_id = cases[TIMELINE_CASE]
    # The cursor the API hands out at the end of page 99, so "?cursor=" fetches page 100.
    last_of_99 = (
        TimelineEvent.objects.filter(case_id=case_id)
        .order_by("-occurred_at", "-id")
        .values("id", "occurred_at")[(DEEP_PAGE - 1) * PAGE_SIZE - 1]
    )
    url = f"/api/v1/cases/{case_id}/timeline/"
    deep_url = f"{url}?cursor={encode_cursor(last_of_99)}"
    page = client.get(deep_url).json()["results"]
    first_id = (
        TimelineEvent.objects.filter(case_id=case_id).order_by("-occurred_at", "-id")[(DEEP_PAGE - 1) * PAGE_SIZE].pk
    )
    assert page[0]["id"] == first_id and len(page) == PAGE_SIZE, "deep page is not page 100"

    def get(path):
        def fn():
            response = client.get(path)
            assert response.status_code == 200, response.content[:300]

        return fn

    raw_first, raw_deep = raw_sql_medians(case_id, (last_of_99["occurred_at"], last_of_99["id"]))
    full_first, full_deep = median_ms(get(url)), median_ms(get(deep_url))
    print(f"\n== Timeline: newest 50 of 10,000 events, table of {TimelineEvent.objects.count():,} events ==")
    print(f"raw keyset SQL (psycopg2, warm)   first page {raw_first:6.2f} ms   page {DEEP_PAGE} {raw_deep:6.2f} ms")
    print(f"full request (test Client, token) first page {full_first:6.2f} ms   page {DEEP_PAGE} {full_deep:6.2f} ms")
    floor, round_trips = round_trip_floor_ms(client, url)
    print(f"its {round_trips} round trips replayed (psycopg2 only)  {floor:6.2f} ms")
    for label, full, raw in (("first page", full_first, raw_first), (f"page {DEEP_PAGE}", full_deep, raw_deep)):
        ratio = full / raw
        print(f"timeline {label}: {full:.2f} ms = {ratio:.1f}× raw (target ≤ 6×) {verdict(ratio <= 6)}")
    print(
        f"floor: the round trips alone = {floor / raw_first:.1f}× raw; the rest of the request (HTTP, middleware, "
        f"authentication, JSON) = {(full_first - floor) / raw_first:.1f}× raw"
    )
    print(
        f"against stack.md's raw figure for this query on these machines ({STACK_MD_RAW_MS} ms): "
        f"first page {full_first / STACK_MD_RAW_MS:.1f}×, page {DEEP_PAGE} {full_deep / STACK_MD_RAW_MS:.1f}×"
    )

    peer_first = median_ms(get(peer_url(case_id)))
    print(
        f"stock DRF peer (ListAPIView + ModelSerializer + CursorPagination, same token auth, access check and audit"
        f" row): first page {peer_first:6.2f} ms; product ÷ peer = {full_first / peer_first:.2f}×"
        f" {verdict(full_first <= peer_first)}; product ÷ floor = {full_first / floor:.1f}× (goal ≤ 2×)"
        f" {verdict(full_first <= 2 * floor)}"
    )

    print("\n== Queries per timeline request as the case grows (target: equal) ==")
    counts = {}
    for title, n in MEASURED_CASES.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/cases/{cases[title]}/timeline/").status_code == 200
        counts[n] = len(queries)
        print(f"{n:>7,} events: {len(queries)} queries")
    print(f"query counts equal: {verdict(len(set(counts.values())) == 1)}")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for q in queries.captured_queries:
            print("   ", q["sql"][:160])


def batch_body(key: str, now: datetime) -> str:
    incidents = [
        {
            "occurred_at": (now - timedelta(minutes=n)).isoformat(),
            "channel": "text",
            "count": 1 + n % 3,
            "behaviours": [],
            "threats": [],
            "narrative": f"Message {n}",
        }
        for n in range(BATCH_SIZE)
    ]
    return json.dumps({"client_key": key, "incidents": incidents})


def batch_section(client, cases: dict) -> None:
    from casework.models import Incident, TimelineEvent

    case_id = cases[BATCH_CASE]
    url = f"/api/v1/cases/{case_id}/incidents/batch/"
    now = datetime.now(UTC) - timedelta(days=1)
    run_id = time.time_ns()
    first_times, retry_times = [], []
    for i in range(BATCH_WARMUP + BATCH_ITERATIONS):
        body = batch_body(f"bench-{run_id}-{i}", now)  # encoded before the clock starts
        start = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        first = time.perf_counter() - start
        assert response.status_code == 201 and response.json()["created"] is True, response.content[:300]
        start = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        retry = time.perf_counter() - start
        assert response.status_code == 200 and response.json()["created"] is False, response.content[:300]
        if i >= BATCH_WARMUP:
            first_times.append(first)
            retry_times.append(retry)
    first_ms, retry_ms = statistics.median(first_times) * 1000, statistics.median(retry_times) * 1000

    # All or none: a batch whose last row is bad adds nothing.
    before = Incident.objects.filter(case_id=case_id).count(), TimelineEvent.objects.filter(case_id=case_id).count()
    bad = json.loads(batch_body(f"bench-{run_id}-bad", now))
    bad["incidents"][-1]["occurred_at"] = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = client.post(url, json.dumps(bad), content_type="application/json")
    after = Incident.objects.filter(case_id=case_id).count(), TimelineEvent.objects.filter(case_id=case_id).count()

    print(f"\n== Batch of {BATCH_SIZE:,} incidents in one request (in-process, median of {BATCH_ITERATIONS}) ==")
    print(f"batch of {BATCH_SIZE:,}: {first_ms:.0f} ms server time (target ≤ 150 ms) {verdict(first_ms <= 150)}")
    print(f"retry, same client_key: {retry_ms:.0f} ms, 200 created=false")
    print(
        f"bad last row: {response.status_code}, rows added {after[0] - before[0]} incidents / "
        f"{after[1] - before[1]} events (atomic) {verdict(response.status_code == 400 and after == before)}"
    )


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, token: str, seconds: int) -> str:
    command = ["wrk", f"-c{WRK_CONNECTIONS}", "-t2", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    command += ["-H", f"Authorization: Token {token}", url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def parse_wrk(output: str) -> dict:
    def find(pattern: str, default: str = "0") -> str:
        match = re.search(pattern, output)
        return match.group(1) if match else default

    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return {
        "rps": float(find(r"Requests/sec:\s+([\d.]+)")),
        "p50": find(r"50%\s+(\S+)"),
        "p99": find(r"99%\s+(\S+)"),
        "errors": int(find(r"Non-2xx or 3xx responses: (\d+)")) + socket_errors,
    }


def http_section(case_id: int, token: str) -> None:
    print(
        f"\n== HTTP: wrk -c{WRK_CONNECTIONS} -t2 -d{WRK_SECONDS}s on the timeline first page, gunicorn, "
        f"CONN_MAX_AGE=60 =="
    )
    url = f"http://127.0.0.1:{PORT}/api/v1/cases/{case_id}/timeline/"
    env = {**os.environ, **ENV, "ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")  # the venv running this script
    for label, workers in (
        ("2 sync workers", ["-w", "2"]),
        ("2 gthread workers × 4 threads", ["-w", "2", "--threads", "4"]),
    ):
        server = subprocess.Popen(
            [gunicorn, "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", *workers],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(PORT)
            wrk(url, token, 3)  # warm-up: workers import, connect, fill caches
            result = parse_wrk(wrk(url, token, WRK_SECONDS))
        finally:
            server.terminate()
            server.wait(timeout=30)
        ok = result["rps"] >= 300 and result["errors"] == 0
        print(
            f"{label:<31} {result['rps']:7.0f} rps  p50 {result['p50']:>8}  p99 {result['p99']:>8}  "
            f"errors {result['errors']}  (target ≥ 300 rps, 0 errors) {verdict(ok)}"
        )


def main() -> None:
    django_setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the deliberate 400 is not news
    from django.test import Client

    from accounts.models import User
    from accounts.tokens import api_token_issue
    from casework.models import Case

    # Keys are kept only as hashes, so each run issues its own (as a service account's would be).
    officer = User.objects.get(username=USERNAME)
    token = api_token_issue(actor=None, user=officer, name="bench run", scope="write", after_mfa=True)[1]
    cases = dict(Case.objects.filter(title__startswith="bench ").values_list("title", "id"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    install_peer()
    timeline_section(client, cases)
    batch_section(client, cases)
    if "--no-http" not in sys.argv:
        http_section(cases[TIMELINE_CASE], token)


if __name__ == "__main__":
    main()
