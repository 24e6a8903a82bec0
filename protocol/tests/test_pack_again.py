"""A charging pack whose render died with its worker is prepared again by the officer, on the request's
page and in the API, and a worker renders the new one (issue 18: no second charging request needed)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from rest_framework.test import APIClient

from casework.choices import CaseStage, DocumentStatus
from casework.models import Case, CaseDocument
from config.celery import app
from protocol.services.preparation import handover_send
from protocol.tests.factories import make_ready

ROOT = Path(__file__).resolve().parents[2]


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING",
         "-Q", "celery,documents"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.worker
@pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="a worker in another process needs the PostgreSQL test database and Redis (CI)",
)
def test_a_pack_lost_with_a_killed_worker_is_prepared_again_on_the_page_and_in_the_api(
    settings, transactional_db, tmp_path, officer, lawyer, case, risk_forms
):
    make_ready(case)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.UNDER_INVESTIGATION)
    case.refresh_from_db()
    settings.MEDIA_ROOT = tmp_path
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EVIDENCE_ROOT": str(tmp_path),
    }
    app.conf.task_always_eager = False
    first = second = None
    # Another session holds the preparation table, so the worker's render blocks reading it: mid-render.
    blocker = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    observer = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    observer.autocommit = True

    def render_is_blocked() -> bool:
        with observer.cursor() as probe:
            probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND query LIKE %s",
                # The start of the query: its FROM can lie past track_activity_query_size.
                [db["NAME"], 'SELECT "protocol_handoverpreparation".%'],
            )
            return probe.fetchone()[0] > 0

    try:
        handover = handover_send(actor=officer, case=case, lawyer=lawyer, priority="green", note="Please advise.")
        lost = handover.pack
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE protocol_handoverpreparation IN ACCESS EXCLUSIVE MODE")
        first = _worker(env)
        _wait_for(render_is_blocked, 60, "the pack's render to be under way")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        blocker.rollback()
        lost.refresh_from_db()
        assert lost.status == DocumentStatus.PENDING and not lost.file  # died with the worker

        page = APIClient()
        page.force_login(officer)
        response = page.get(f"/protocol/handovers/{handover.pk}/")
        assert f'action="/documents/{lost.pk}/again/"' in response.content.decode()
        back = f"/protocol/handovers/{handover.pk}/"
        response = page.post(f"/documents/{lost.pk}/again/", {"next": back})
        assert response.status_code == 302 and response.url == back
        created = page.post(f"/api/v1/documents/{lost.pk}/again/")
        assert created.status_code == 201, created.json()

        second = _worker(env)
        again = CaseDocument.objects.filter(source_id=str(handover.pk)).exclude(pk=lost.pk)
        _wait_for(lambda: again.filter(status=DocumentStatus.READY).count() == 2, 90, "both packs to be ready")
        lawyer_view = APIClient()
        lawyer_view.force_login(lawyer)  # the lawyer reads the packs prepared again, and cannot ask for one
        newest = again.order_by("-pk").first()
        assert lawyer_view.get(f"/api/v1/documents/{newest.pk}/").json()["status"] == "ready"
        assert lawyer_view.post(f"/api/v1/documents/{newest.pk}/again/").status_code == 404
        download = lawyer_view.get(f"/documents/{newest.pk}/download/")
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        blocker.rollback()  # first: a worker still waiting on the lock could not stop, nor the test DB go
        blocker.close()
        observer.close()
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(10)
