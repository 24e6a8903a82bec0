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
