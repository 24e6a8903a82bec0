"""The mixed journey: 50 logged-in users for 60 s on gunicorn with 2 sync workers (and a Celery worker
for the per-case refresh), with a 10,000-incident case in the mix. Per page: requests, p50, p99, errors.

In its own database (`casework_bench_journey`: dropped, re-created, migrated and seeded with --seed, 1 by
default): one unit, 45 officers and 5 supervisors, 100 cases of 20–150 incidents and one of 10,000.
Each user, in a loop: the case list, a case page (one in ten the 10,000-incident case), its second
timeline page, every fifth time logs an incident from the case page's form, and a supervisor opens
the dashboard; 1–3 s (seeded) of reading between pages. The client is plain asyncio (one connection per
request, HTTP/1.0), bounded to 60 s. Goal (issue 19): 0 errors, p50 < 150 ms, p99 < 500 ms for every page.

    .venv/bin/python bench/journey.py [--seed N]      # about 3 min
"""

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("BENCH_DB", "casework_bench_journey")
import benchenv  # noqa: E402

PORT, USERS, SECONDS = 8011, 50, 60


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


def seed(rng: random.Random) -> tuple[list[tuple[str, bool]], list[int], int]:
    """The world: (session cookie, is supervisor) per user, the ordinary cases and the big one."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.choices import Role
    from accounts.models import Force, Unit, User
    from casework.alerts import case_refresh
    from casework.choices import Channel, PartyRole
    from casework.services.cases import case_open
    from casework.services.incidents import IncidentInput, incidents_record_batch
    from casework.services.people import party_add, person_create

    force = Force.objects.create(name="Bench force", code="bench")
    unit = Unit.objects.create(force=force, name="Bench unit", code="bench-journey")
    users = [
        User.objects.create_user(f"bench.user{k}", role=Role.SUPERVISOR if k < 5 else Role.OFFICER, unit=unit)
        for k in range(USERS)
    ]
    channels = [Channel.TEXT, Channel.EMAIL, Channel.PHONE_CALL, Channel.SOCIAL_MEDIA, Channel.IN_PERSON]
    now = timezone.now()

    def case_with(n: int, officer) -> int:
        case = case_open(actor=officer, title=f"journey {n}", is_stalking=True)
        victim = person_create(actor=officer, first_name="Journey", last_name=f"Victim{case.pk}", case=case)
        party_add(actor=officer, case=case, person=victim, role=PartyRole.VICTIM, relationship_to_suspect="")
        rows = [
            IncidentInput(
                occurred_at=now - timedelta(days=1, minutes=k * 300_000 // n),
                channel=rng.choice(channels),
                victim_id=victim.pk,
                count=rng.choice([1, 1, 1, 3, 25]),
            )
            for k in range(n)
        ]
        for first in range(0, n, 1000):
            incidents_record_batch(
                actor=officer, case=case, client_key=f"j{case.pk}-{first}", rows=rows[first : first + 1000]
            )
        case_refresh(case.pk)
        return case.pk

    ordinary = [case_with(rng.randint(20, 150), users[5 + k % (USERS - 5)]) for k in range(100)]
    big = case_with(10_000, users[5])
    sessions = []
    for user in users:
        client = Client()
        client.force_login(user)
        sessions.append((client.cookies[settings.SESSION_COOKIE_NAME].value, user.role == Role.SUPERVISOR))
    return sessions, ordinary, big


async def request(method: str, path: str, cookie: str, body: str = "", csrf: str = "") -> tuple[int, str, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    headers = [
        f"{method} {path} HTTP/1.0",
        "Host: 127.0.0.1",
        f"Cookie: sessionid={cookie}" + (f"; csrftoken={csrf}" if csrf else ""),
    ]
    if body:
        headers += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
            f"Referer: http://127.0.0.1:{PORT}{path}",
        ]
    writer.write(("\r\n".join(headers) + "\r\n\r\n" + body).encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    set_csrf = re.search(rb"csrftoken=([^;]+)", head)
    return status, content.decode(errors="replace"), set_csrf.group(1).decode() if set_csrf else ""


async def user_loop(
    n: int, cookie: str, supervisor: bool, ordinary: list[int], big: int, until: float, log: dict
) -> None:
    rng = random.Random(n)
    csrf = ""

    async def timed(page: str, method: str, path: str, body: str = "") -> str:
        nonlocal csrf
        began = time.perf_counter()
        try:
            status, content, new_csrf = await asyncio.wait_for(request(method, path, cookie, body, csrf), 30)
        except (TimeoutError, OSError):
            status, content, new_csrf = 0, "", ""
        log[page].append(((time.perf_counter() - began) * 1000, status in (200, 302)))
        csrf = new_csrf or csrf
        return content

    round_ = 0
    while time.monotonic() < until:
        round_ += 1
        case = big if rng.random() < 0.1 else rng.choice(ordinary)
        await timed("case list", "GET", "/cases/?scope=unit")
        await asyncio.sleep(rng.uniform(1, 3))
        page = await timed("case page" + (" (10,000 incidents)" if case == big else ""), "GET", f"/cases/{case}/")
        older = re.search(r'href="(\?[^"]*cursor=[^"#]+)#timeline"', page)
        await asyncio.sleep(rng.uniform(1, 3))
        if older:
            await timed("timeline page 2", "GET", f"/cases/{case}/{older.group(1).replace('&amp;', '&')}")
            await asyncio.sleep(rng.uniform(1, 3))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        victim = re.search(r'<select name="victim"[^>]*>.*?<option value="(\d+)"', page, re.S)
        if round_ % 5 == 0 and token and victim and csrf:
            when = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 3600))
            form = urlencode(
                {"csrfmiddlewaretoken": token.group(1), "occurred_at": when, "victim": victim.group(1)}
                | {"channel": "text", "count": "1", "place": "", "narrative": ""}
            )
            await timed("log an incident", "POST", f"/cases/{case}/incidents/new/", form)
            await asyncio.sleep(rng.uniform(1, 3))
        if supervisor:
            await timed("dashboard", "GET", "/dashboard/")
            await asyncio.sleep(rng.uniform(1, 3))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fresh_database()
    benchenv.django_setup()
    began = time.perf_counter()
    sessions, ordinary, big = seed(random.Random(args.seed))
    print(
        f"seeded {len(sessions)} users, {len(ordinary)} cases and one of 10,000 incidents"
        f" in {time.perf_counter() - began:.0f} s"
    )
    env = {
        **os.environ,
        **benchenv.ENV,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{PORT}",
    }
    venv = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(venv / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", "2", "--timeout", "60"],
        cwd=benchenv.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(venv / "celery"), "-A", "config", "worker", "-Q", "celery", "-c", "1", "-l", "warning"],
        cwd=benchenv.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(4)
        log: dict[str, list] = defaultdict(list)
        until = time.monotonic() + SECONDS

        async def everyone() -> None:
            await asyncio.gather(
                *(user_loop(n, cookie, sup, ordinary, big, until, log) for n, (cookie, sup) in enumerate(sessions))
            )

        asyncio.run(everyone())
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
    print(f"\n== Mixed journey: {USERS} users, {SECONDS} s, gunicorn -w 2 (sync), seed {args.seed} ==")
    worst = []
    for page, rows in sorted(log.items()):
        times = [ms for ms, _ in rows]
        errors = sum(1 for _, ok in rows if not ok)
        p50, p99 = statistics.median(times), percentile(times, 0.99)
        worst.append(errors == 0 and p50 < 150 and p99 < 500)
        print(f"{page:<32} {len(rows):5d} requests  p50 {p50:7.0f} ms  p99 {p99:7.0f} ms  errors {errors}")
    print(f"goal (0 errors, p50 < 150 ms, p99 < 500 ms on every page): {'OK' if all(worst) else 'MISSED'}")


if __name__ == "__main__":
    main()
