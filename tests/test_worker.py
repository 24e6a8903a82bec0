"""A real Celery worker (in this process, solo pool) consumes from the configured broker:
Redis in CI, kombu's filesystem transport locally."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker

from accounts.models import Heartbeat
from accounts.tasks import heartbeat
from config.celery import app

ROOT = Path(__file__).resolve().parents[1]
# The queues the deployed worker consumes (docker-compose.yml, bin/run): default work and PDF rendering.
QUEUES = ["celery", "documents"]
WORKER_QUEUES = ["-Q", ",".join(QUEUES)]


@pytest.fixture
def real_worker(settings, transactional_db):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=QUEUES):
            yield
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.worker
def test_a_worker_runs_the_heartbeat_task_through_the_broker(real_worker):
    assert not Heartbeat.objects.exists()
    heartbeat.delay()
    _wait_for_tick()


def _wait_for_tick(timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Heartbeat.objects.filter(name="beat").exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"the worker did not run the task within {timeout} s")


@pytest.mark.worker
def test_work_queued_while_no_worker_runs_is_done_once_when_one_starts(settings, transactional_db, officer):
    """Stop the worker, make changes, start it: the alerts appear, once."""
    from django.utils import timezone

    from casework.models import Alert
    from casework.services.cases import case_open
    from casework.services.evidence import evidence_task_create
    from casework.tasks import alerts_sweep

    app.conf.task_always_eager = False
    try:
        case = case_open(actor=officer, title="Queued while the worker was down")
        evidence_task_create(actor=officer, case=case, description="CCTV from the bus", due_on=timezone.localdate())
        alerts_sweep.delay()  # beat's tick, also waiting in the broker
        assert not Alert.objects.exists()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=QUEUES):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not Alert.objects.exists():
                time.sleep(0.1)
            time.sleep(0.5)  # let the second queued task run too
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    assert Alert.objects.filter(case=case, kind="evidence_deadline", resolved_at__isnull=True).count() == 1


def _worker_process(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING", *WORKER_QUEUES],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


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
def test_a_worker_killed_mid_sweep_leaves_no_half_work_and_the_alert_is_raised_once_after_restart(
    settings, transactional_db, officer
):
    import psycopg2
    from django.db import connection
    from django.utils import timezone

    from casework.models import Alert, EvidenceTask
    from casework.services.cases import case_open
    from casework.tasks import alerts_sweep

    case = case_open(actor=officer, title="Sweep interrupted")
    EvidenceTask.objects.create(case=case, description="CCTV", due_on=timezone.localdate(), created_by=officer)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    # Another transaction holds an uncommitted alert for the same case and kind, so the worker's
    # sweep blocks on the unique index in the middle of its transaction: provably mid-task.
    blocker = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    with blocker.cursor() as cursor:
        cursor.execute(
            "INSERT INTO casework_alert (case_id, kind, severity, audience, facts, raised_at, acknowledgement) "
            "VALUES (%s, 'evidence_deadline', 'warning', 'oic', '{}', now(), '')",
            [case.pk],
        )

    # pg_stat_activity is a snapshot inside a transaction: look from a connection of its own.
    observer = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    observer.autocommit = True

    def sweep_is_blocked() -> bool:
        with observer.cursor() as probe:
            probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND query LIKE %s",
                [db["NAME"], 'INSERT INTO "casework_alert"%'],
            )
            return probe.fetchone()[0] > 0

    app.conf.task_always_eager = False
    first = _worker_process(env)
    second = None
    try:
        alerts_sweep.delay()
        _wait_for(sweep_is_blocked, 30, "the sweep to block mid-transaction")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        blocker.rollback()
        assert not Alert.objects.exists()  # the killed sweep committed nothing
        second = _worker_process(env)
        alerts_sweep.delay()  # beat's next tick
        _wait_for(lambda: Alert.objects.exists(), 30, "the restarted worker to raise the alert")
        time.sleep(2)  # any redelivered copy of the killed task runs by now, harmlessly
        assert Alert.objects.filter(case=case, kind="evidence_deadline").count() == 1
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(20)
        blocker.rollback()
        blocker.close()
        with observer.cursor() as cursor:  # the killed worker's server session, so the test DB can go
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                "AND pid <> %s",
                [db["NAME"], connection.connection.info.backend_pid],
            )
        observer.close()


class _StallingMailServer:
    """An SMTP server that, while `hold` is set, takes a message in full and then holds its reply: the
    sender is provably mid-send, with the message already on the server."""

    def __init__(self):
        import socketserver
        import threading

        self.messages: list[str] = []
        self.hold, self.holding, self.release = threading.Event(), threading.Event(), threading.Event()
        server = self

        class Session(socketserver.StreamRequestHandler):
            def handle(self):
                reply = self.wfile.write
                reply(b"220 test ESMTP\r\n")
                for line in self.rfile:
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        reply(b"354 go on\r\n")
                        body = b"".join(iter(lambda: self.rfile.readline(), b".\r\n")).decode()
                        server.messages.append(body)
                        if server.hold.is_set():
                            server.holding.set()
                            server.release.wait(60)
                        reply(b"250 taken\r\n")
                    elif verb == b"QUIT":
                        reply(b"221 bye\r\n")
                        return
                    else:
                        reply(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.worker
@pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="a worker in another process needs the PostgreSQL test database and Redis (CI)",
)
def test_a_worker_killed_mid_send_of_an_alert_email_never_sends_it_twice(settings, transactional_db, officer):
    """At most once (ADR 0008): the message reached the server, the worker died before marking it."""
    from django.db import connection

    from casework.models import AlertMail
    from casework.services.cases import case_open
    from casework.tasks import alerts_notify
    from casework.tests.factories import AlertFactory

    officer.email = "oic@police.example"
    officer.save()
    first_case = case_open(actor=officer, title="Mailed while the worker died")
    AlertFactory(case=first_case)
    mail_server = _StallingMailServer()
    mail_server.hold.set()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_server.port),
    }
    app.conf.task_always_eager = False
    first = _worker_process(env)
    second = None
    try:
        alerts_notify.delay()
        _wait_for(mail_server.holding.is_set, 30, "the worker to be mid-send")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        row = AlertMail.objects.get()
        assert row.claimed_at is not None and row.sent_at is None  # claimed, never marked

        mail_server.hold.clear()
        mail_server.release.set()
        second_case = case_open(actor=officer, title="Raised after the restart")
        AlertFactory(case=second_case)
        second = _worker_process(env)
        alerts_notify.delay()  # beat's next ticks
        alerts_notify.delay()
        _wait_for(lambda: AlertMail.objects.filter(sent_at__isnull=False).exists(), 30, "the next alert mailed")
        time.sleep(2)  # the second tick runs by now
        assert len(mail_server.messages) == 2
        assert sum(first_case.reference in message for message in mail_server.messages) == 1
        assert second_case.reference in mail_server.messages[1]
        assert first_case.reference not in mail_server.messages[1]
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        mail_server.close()  # first: a worker still waiting for the server's reply could not stop
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(10)
