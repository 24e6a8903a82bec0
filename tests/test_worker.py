"""A real Celery worker (in this process, solo pool) consumes from the configured broker:
Redis in CI, kombu's filesystem transport locally."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from accounts.models import Heartbeat
from accounts.tasks import heartbeat
from config.celery import app


@pytest.fixture
def real_worker(settings, transactional_db):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
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
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not Alert.objects.exists():
                time.sleep(0.1)
            time.sleep(0.5)  # let the second queued task run too
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    assert Alert.objects.filter(case=case, kind="evidence_deadline", resolved_at__isnull=True).count() == 1
