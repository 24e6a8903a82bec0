"""The big documents: the charging pack and the SPO application at 500 and 5,000 incidents, with pages,
seconds and peak RSS, each rendered in a fresh process as the documents worker renders it (the
registered builder's HTML through casework.documents.render_pdf).

In its own database (`casework_bench_documents`: dropped, re-created and migrated). The campaign is the
common heavy one: e-mails and texts in bursts (several identical contacts a day), a few calls and
visits with their own words. The reference, rendered in the same run, is the pack as it was before the
MG5 chronology summarised identical contacts of a day (`--ungrouped`). Goals (issue 19): 500 incidents
≤ 6 s; 5,000 ≤ 60 s and ≤ 700 MB. docker-compose.yml caps the documents worker at 1 GB.

    .venv/bin/python bench/documents.py        # several minutes: 5,000 incidents lay out slowly
"""

import json
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta

os.environ.setdefault("BENCH_DB", "casework_bench_documents")
import benchenv  # noqa: E402

SIZES = (500, 5_000)


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


def seed(n: int) -> dict:
    from django.utils import timezone

    from accounts.choices import Role
    from accounts.models import CPSArea, Force, Unit, User
    from casework.choices import Channel, PartyRole
    from casework.services.cases import case_open
    from casework.services.incidents import IncidentInput, incidents_record_batch
    from casework.services.people import party_add, person_create
    from orders.models import ProtectiveOrder
    from protocol.tests.factories import handover_to

    force, _ = Force.objects.get_or_create(code="bench", defaults={"name": "Bench force"})
    unit, _ = Unit.objects.get_or_create(code="bench-docs", defaults={"force": force, "name": "Bench unit"})
    officer, _ = User.objects.get_or_create(username="bench.documents", defaults={"role": Role.OFFICER, "unit": unit})
    area, _ = CPSArea.objects.get_or_create(code="bench-cps", defaults={"name": "Bench CPS"})
    lawyer, _ = User.objects.get_or_create(
        username="bench.lawyer", defaults={"role": Role.CPS_LAWYER, "cps_area": area}
    )
    case = case_open(actor=officer, title=f"bench documents {n}", is_stalking=True)
    victim = person_create(actor=officer, first_name="Bench", last_name="Victim", case=case)
    suspect = person_create(actor=officer, first_name="Mark", last_name="Dunn", case=case)
    party_add(actor=officer, case=case, person=victim, role=PartyRole.VICTIM, relationship_to_suspect="ex_partner")
    party_add(actor=officer, case=case, person=suspect, role=PartyRole.SUSPECT, relationship_to_suspect="")
    start = timezone.now() - timedelta(days=max(n // 25, 2))
    rows = []
    for k in range(n):
        day, slot = divmod(k, 25)  # 25 a day: bursts of 20 e-mails, 3 texts, a call and a visit
        kind = (
            Channel.EMAIL
            if slot < 20
            else Channel.TEXT
            if slot < 23
            else Channel.PHONE_CALL
            if slot == 23
            else Channel.IN_PERSON
        )
        rows.append(
            IncidentInput(
                occurred_at=start + timedelta(days=day, minutes=20 * slot),
                channel=kind,
                victim_id=victim.pk,
                narrative="" if slot < 23 else f"He said he would not stop until she spoke to him (day {day}).",
            )
        )
    for first in range(0, n, 1000):
        incidents_record_batch(
            actor=officer, case=case, client_key=f"docs-{n}-{first}", rows=rows[first : first + 1000]
        )
    handover = handover_to(case, lawyer, by=officer)
    order = ProtectiveOrder.objects.create(
        case=case, order_type="spo", respondent=suspect, court="Birmingham Magistrates' Court", created_by=officer
    )
    order.protected_people.set([victim])
    return {"handover": handover.pk, "order": order.pk}


def render(kind: str, source_id: int, ungrouped: bool) -> None:
    """In a fresh process: build the HTML and lay it out, then print pages, seconds and peak RSS."""
    benchenv.django_setup()
    from casework.documents import render_pdf

    if kind == "pack":
        from protocol import pack
        from protocol.models import Handover

        if ungrouped:  # the reference: the chronology as it was, one row per incident
            pack._chronology = lambda conduct: (
                conduct | {"rows": [r | {"entries": 1, "until": None} for r in conduct["rows"]]}
            )
        source, build = Handover.objects.get(pk=source_id), pack.pack_html
    else:
        from orders.documents import application_html
        from orders.models import ProtectiveOrder

        source, build = ProtectiveOrder.objects.get(pk=source_id), application_html
    began = time.perf_counter()
    _, pages = render_pdf(build(source))
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "seconds": seconds, "peak_mb": peak_mb}))


def measure(kind: str, source_id: int, ungrouped: bool = False) -> dict:
    args = [sys.executable, __file__, "--render", kind, str(source_id)] + (["--ungrouped"] if ungrouped else [])
    out = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **benchenv.ENV})
    if out.returncode != 0:
        sys.exit(f"rendering {kind} {source_id} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--render"]:
        render(sys.argv[2], int(sys.argv[3]), "--ungrouped" in sys.argv)
        return
    fresh_database()
    benchenv.django_setup()
    sources = {n: seed(n) for n in SIZES}
    goals = {500: (6, None), 5_000: (60, 700)}
    for n in SIZES:
        ours = measure("pack", sources[n]["handover"])
        old = measure("pack", sources[n]["handover"], ungrouped=True)
        spo = measure("spo", sources[n]["order"])
        seconds, megabytes = goals[n]
        verdict = (
            "OK" if ours["seconds"] <= seconds and (megabytes is None or ours["peak_mb"] <= megabytes) else "MISSED"
        )
        pack = f"{ours['pages']} pages, {ours['seconds']:.1f} s, peak {ours['peak_mb']:.0f} MB"
        goal = f"≤ {seconds} s" + (f", ≤ {megabytes} MB" if megabytes else "")
        before = f"{old['pages']} pages, {old['seconds']:.1f} s, peak {old['peak_mb']:.0f} MB"
        ratios = f"{ours['seconds'] / old['seconds']:.2f}× the time, {ours['peak_mb'] / old['peak_mb']:.2f}× the memory"
        print(f"charging pack, {n:,} incidents: {pack} (goal {goal}: {verdict})", flush=True)
        print(f"  before the chronology summarised a day's identical contacts: {before}; now {ratios}", flush=True)
        spo_line = f"{spo['pages']} pages, {spo['seconds']:.1f} s, peak {spo['peak_mb']:.0f} MB"
        print(f"SPO application, {n:,} incidents: {spo_line}", flush=True)


if __name__ == "__main__":
    main()
