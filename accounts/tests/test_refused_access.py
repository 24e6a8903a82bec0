"""Refused attempts are audited with the user, and repeated ones raise an access concern for the
registrars of the user's force (professional standards)."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import AuditAction, Role
from accounts.concerns import sweep_access_concerns, window_starts
from accounts.models import AccessConcern, AuditEntry
from accounts.tasks import access_concerns_sweep
from accounts.tests.factories import ForceFactory, UnitFactory, UserFactory
from casework.tests.factories import CaseFactory
from orders.tests.factories import ProtectiveOrderFactory, parties


def _refusals(user):
    return list(AuditEntry.objects.filter(action=AuditAction.REFUSED, actor=user).order_by("id"))


@pytest.fixture
def order(case):
    victim, suspect = parties(case)
    return ProtectiveOrderFactory(case=case, respondent=suspect, protected_people=[victim])


def test_a_strangers_404s_on_another_units_case_person_and_order_are_audited_with_his_user(
    client, stranger, case, order
):
    victim = order.protected_people.get()
    own_case = CaseFactory(unit=stranger.unit, officer=stranger)
    client.force_login(stranger)
    asked = [
        f"/cases/{case.pk}/",
        f"/people/{victim.pk}/?case={case.pk}",
        f"/orders/cases/{case.pk}/orders/{order.pk}/",
        # another unit's order through his own case: the case is his, the order is not
        f"/orders/cases/{own_case.pk}/orders/{order.pk}/",
    ]
    for path in asked:
        assert client.get(path).status_code == 404, path
    api = APIClient()
    api.force_login(stranger)
    assert api.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    rows = _refusals(stranger)
    asked.append(f"/api/v1/orders/{order.pk}/")
    assert [row.detail.split(" (")[0] for row in rows] == [f"GET {p}" for p in asked]
    assert all(row.actor_username == "stranger" and row.ip == "127.0.0.1" for row in rows)
    # The case the policy refused, where it was asked; the sub-object's id from the address.
    assert [(row.object_type, row.object_id) for row in rows] == [
        ("casework.case", str(case.pk)),
        ("casework.case", str(case.pk)),
        ("casework.case", str(case.pk)),
        ("", ""),
        ("casework.case", str(case.pk)),
    ]
    assert f"order_id={order.pk}" in rows[3].detail and f"order_id={order.pk}" in rows[4].detail
    assert f"person_id={victim.pk}" in rows[1].detail


def test_what_the_user_may_see_and_unknown_addresses_are_not_refusals(client, officer, case):
    client.force_login(officer)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    assert _refusals(officer) == []


@pytest.mark.django_db(transaction=True)
def test_the_refusal_is_recorded_even_when_the_request_is_rolled_back(client, monkeypatch, stranger, officer):
    case = CaseFactory(unit=officer.unit, officer=officer)
    # Each view in its own transaction, rolled back by the 404: the audit row must outlive it.
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    client.force_login(stranger)
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    assert [(r.object_type, r.object_id) for r in _refusals(stranger)] == [("casework.case", str(case.pk))]


# --- Repeated refusals -----------------------------------------------------------------------------

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
HOUR = timedelta(minutes=60)


def _at(*minutes: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in minutes]


@pytest.mark.parametrize(
    ("minutes", "starts"),
    [
        (range(9), []),  # nine: not yet
        (range(10), _at(0)),
        ([m * 6.7 for m in range(10)], []),  # ten over 60.3 minutes
        (range(25), _at(0)),  # a long burst is one window
        ([*range(10), *range(61, 71)], _at(0, 61)),  # the next window starts after the first ends
        ([0, 1, *range(30, 38), 100], _at(0)),
        ([0, 50, *range(70, 79), 200], _at(50)),  # the first attempt is too early to count
    ],
)
def test_a_window_is_count_attempts_within_the_minutes(minutes, starts):
    assert window_starts(_at(*minutes), count=10, window=HOUR) == starts


def _refused_by(client, user, cases, times: int):
    client.force_login(user)
    for n in range(times):
        assert client.get(f"/cases/{cases[n % len(cases)].pk}/").status_code == 404


@pytest.fixture
def other_units_cases(officer):
    return [CaseFactory(unit=officer.unit, officer=officer) for _ in range(3)]


def test_the_tenth_refusal_raises_one_concern_and_the_eleventh_no_second(
    client, settings, stranger, registrar, other_units_cases
):
    settings.REFUSED_ACCESS_ALERT_COUNT, settings.REFUSED_ACCESS_WINDOW_MINUTES = 10, 60
    registrar.email = "registrar@police.example"
    registrar.save()
    _refused_by(client, stranger, other_units_cases, 9)
    access_concerns_sweep.delay()
    assert not AccessConcern.objects.exists() and mail.outbox == []
    _refused_by(client, stranger, other_units_cases, 1)
    access_concerns_sweep.delay()
    (concern,) = AccessConcern.objects.all()
    assert (concern.user, concern.force, concern.count) == (stranger, stranger.unit.force, 10)
    assert concern.paths == [f"GET /cases/{c.pk}/ (case_id={c.pk})" for c in other_units_cases]
    assert concern.window_ends_at - concern.window_starts_at == HOUR
    (message,) = mail.outbox
    assert message.to == ["registrar@police.example"] and "/access-concerns/" in message.body
    assert "stranger" not in message.body and "/cases/" not in message.body
    _refused_by(client, stranger, other_units_cases, 1)
    access_concerns_sweep.delay()
    access_concerns_sweep.delay()
    (concern,) = AccessConcern.objects.all()
    assert concern.count == 11 and len(mail.outbox) == 1


def test_attempts_older_than_the_lookback_raise_nothing(client, stranger, other_units_cases):
    _refused_by(client, stranger, other_units_cases, 10)
    assert sweep_access_concerns(now=timezone.now() + timedelta(days=2)) == 0
    assert sweep_access_concerns() == 1
    assert sweep_access_concerns() == 0


@pytest.fixture
def concern(client, stranger, other_units_cases):
    _refused_by(client, stranger, other_units_cases, 10)
    sweep_access_concerns()
    client.logout()
    return AccessConcern.objects.get()


@pytest.fixture
def other_forces_registrar(db):
    unit = UnitFactory(force=ForceFactory(code="gmp", name="Greater Manchester Police"))
    return UserFactory(username="gmp-registrar", role=Role.REGISTRAR, unit=unit)


def test_the_forces_registrar_sees_the_concern_and_acknowledges_it_with_a_note(client, registrar, concern):
    client.force_login(registrar)
    page = client.get("/access-concerns/")
    assert page.status_code == 200 and "stranger" in page.content.decode()
    detail = client.get(f"/access-concerns/{concern.pk}/").content.decode()
    assert "GET /cases/" in detail and "Acknowledge the concern" in detail
    empty = client.post(f"/access-concerns/{concern.pk}/", {"note": "  "})
    assert empty.status_code == 400 and "govuk-error-summary" in empty.content.decode()
    done = client.post(f"/access-concerns/{concern.pk}/", {"note": "Mistyped case numbers; spoken to."})
    assert done.status_code == 302
    concern.refresh_from_db()
    assert (concern.acknowledged_by, concern.note) == (registrar, "Mistyped case numbers; spoken to.")
    (altered,) = AuditEntry.objects.filter(
        action=AuditAction.ALTER, object_type="accounts.accessconcern", object_id=str(concern.pk)
    )
    assert altered.actor == registrar and altered.changes == ["acknowledged_at", "acknowledged_by", "note"]
    assert AuditEntry.objects.filter(
        action=AuditAction.CONSULT, object_type="accounts.accessconcern", actor=registrar
    ).exists()
    again = client.post(f"/access-concerns/{concern.pk}/", {"note": "Again"})
    assert again.status_code == 409


def test_the_api_lists_and_acknowledges_for_the_forces_registrar(registrar, concern):
    api = APIClient()
    api.force_login(registrar)
    (row,) = api.get("/api/v1/access-concerns/").json()
    assert (row["id"], row["user"], row["count"]) == (concern.pk, "stranger", 10)
    url = f"/api/v1/access-concerns/{concern.pk}/acknowledge/"
    assert api.post(url, {}, format="json").json()["errors"].keys() == {"note"}
    acknowledged = api.post(url, {"note": "Referred to professional standards"}, format="json")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_by"] == "registrar"


def test_a_registrar_of_another_force_and_other_roles_never_see_it(
    client, other_forces_registrar, supervisor, officer, concern
):
    for user in (other_forces_registrar, supervisor, officer):
        client.force_login(user)
        listed = client.get("/access-concerns/")
        assert listed.status_code == (200 if user is other_forces_registrar else 404)
        assert "stranger" not in listed.content.decode()
        assert client.get(f"/access-concerns/{concern.pk}/").status_code == 404
        assert client.post(f"/access-concerns/{concern.pk}/", {"note": "Nothing here"}).status_code == 404
        api = APIClient()
        api.force_login(user)
        assert api.get("/api/v1/access-concerns/").status_code == (200 if user is other_forces_registrar else 404)
        assert api.post(f"/api/v1/access-concerns/{concern.pk}/acknowledge/", {"note": "x"}).status_code == 404
    concern.refresh_from_db()
    assert concern.acknowledged_at is None


def test_a_registrar_never_sees_a_concern_about_herself(client, registrar, other_units_cases, other_forces_registrar):
    # Her own force's cases are hers to see: she probes another force's.
    foreign = [CaseFactory(unit=other_forces_registrar.unit) for _ in range(2)]
    _refused_by(client, registrar, foreign, 10)
    sweep_access_concerns()
    concern = AccessConcern.objects.get(user=registrar)
    assert client.get("/access-concerns/").content.decode().count(f"/access-concerns/{concern.pk}/") == 0
    assert client.post(f"/access-concerns/{concern.pk}/", {"note": "Fine"}).status_code == 404


@pytest.mark.worker
def test_a_real_worker_raises_the_concern_once_from_beats_ticks(settings, transactional_db, client, stranger, officer):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    _refused_by(client, stranger, [CaseFactory(unit=officer.unit, officer=officer) for _ in range(2)], 10)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["celery"]):
            access_concerns_sweep.delay()  # two of beat's ticks, queued together
            access_concerns_sweep.delay()
            deadline = timezone.now() + timedelta(seconds=20)
            while timezone.now() < deadline and not AccessConcern.objects.filter(notified_at__isnull=False).exists():
                time.sleep(0.1)
            time.sleep(0.5)  # let the second tick run too
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    (concern,) = AccessConcern.objects.all()
    assert concern.user == stranger and concern.count == 10 and concern.notified_at is not None
