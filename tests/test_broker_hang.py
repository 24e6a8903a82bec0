"""A hung broker must not hold the web tier: a redis-server of the test's own, SIGSTOPped under the app
(it accepts connections and never answers), costs a write under a second and /healthz under one."""

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from kombu import pools
from rest_framework.test import APIClient

from accounts.tasks import heartbeat
from casework.models import Incident
from config.celery import app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """A throwaway redis-server on a free port (never the shared one), continued and stopped at the end."""
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port, socket_timeout=1)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield server, client, f"redis://127.0.0.1:{port}/0"
    finally:
        os.kill(server.pid, signal.SIGCONT)
        server.terminate()
        server.wait(10)
        client.close()


@contextmanager
def broker(url: str):
    """Point this process's Celery app (and its connection and producer pools) at `url`."""
    saved = app.conf.broker_url, app.conf.task_always_eager

    def reset_pools() -> None:  # kombu keeps them in a registry of its own: close and forget them all
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.broker_url, app.conf.task_always_eager = url, False
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url, app.conf.task_always_eager = saved


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_with_redis_stopped_writes_are_saved_within_two_seconds_and_healthz_answers_within_one(
    transactional_db, officer, case, own_redis
):
    server, queue, url = own_redis
    heartbeat()  # beat is alive: only the broker can turn /healthz red
    api = APIClient()
    api.force_login(officer)

    def log_incident(narrative: str):
        body = {"occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(), "channel": "text",
                "narrative": narrative}  # fmt: skip
        return api.post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")

    with broker(url):
        response, _ = _timed(lambda: log_incident("Before the broker hung"))
        assert response.status_code == 201, response.json()
        assert queue.llen("celery") == 1  # the case's refresh really went to this Redis

        os.kill(server.pid, signal.SIGSTOP)
        for n in range(3):  # the first on a pooled connection, the rest reconnecting to the hung server
            response, took = _timed(lambda n=n: log_incident(f"While the broker hung, {n}"))
            assert response.status_code == 201, response.json()
            assert took < 2, f"write {n} took {took:.2f} s"
        assert Incident.objects.filter(case=case, narrative__startswith="While the broker hung").count() == 3

        timeline, took = _timed(lambda: api.get(f"/api/v1/cases/{case.pk}/timeline/"))
        assert timeline.status_code == 200 and took < 2
        health, took = _timed(lambda: api.get("/healthz"))
        assert took < 1, f"/healthz took {took:.2f} s"
        assert health.status_code == 503
        assert health.json()["broker"]["ok"] is False and health.json()["database"]["ok"] is True

        os.kill(server.pid, signal.SIGCONT)
        # Redis may still run the pushes left in its socket buffers: count from here.
        queued = queue.llen("celery")
        response = log_incident("After the broker came back")
        assert response.status_code == 201
        assert queue.llen("celery") == queued + 1
        assert api.get("/healthz").status_code == 200
