from datetime import timedelta

from django.utils import timezone

from accounts.models import Heartbeat
from accounts.tasks import heartbeat


def test_it_is_green_when_the_database_broker_and_beat_are_alive(client, db):
    heartbeat()
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"] and body["beat"]["ok"]


def test_it_is_red_when_beat_has_not_ticked_recently(client, db):
    Heartbeat.objects.create(name="beat", ticked_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == {"ok": False, "detail": "last tick 600 s ago"}


def test_it_is_red_before_the_first_tick(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"]["detail"] == "no tick yet"


def test_it_is_red_when_the_broker_is_unreachable(client, db, settings):
    from config.celery import app

    heartbeat()
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
