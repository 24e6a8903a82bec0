import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import TEST_PASSWORD

WRONG = "not-the-password-at-all"


def _login(client, username="officer", password=TEST_PASSWORD, ip="198.51.100.1"):
    return client.post("/account/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_it_logs_in_and_out(client, officer):
    response = _login(client)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/account/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_it_locks_out_a_username_from_one_address_after_five_failures(client, officer):
    for _ in range(5):
        _login(client, password=WRONG)
    response = _login(client)
    assert response.status_code == 429
    assert b"locked" in response.content.lower()
    assert client.get("/").status_code == 302


def test_a_lockout_from_one_address_does_not_lock_the_officer_out_elsewhere(client, officer):
    for _ in range(5):
        _login(client, password=WRONG, ip="203.0.113.66")
    assert _login(client, ip="198.51.100.1").status_code == 302
    assert client.get("/").status_code == 200


def test_a_spoofed_forwarded_for_header_does_not_dodge_the_lockout(client, officer):
    for n in range(5):
        client.post(
            "/account/login/",
            {"username": "officer", "password": WRONG},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert _login(client, ip="203.0.113.66").status_code == 429


def test_the_session_ends_after_thirty_idle_minutes(client, officer):
    with time_machine.travel(time.time(), tick=False) as traveller:
        _login(client)
        traveller.shift(29 * 60)
        assert client.get("/").status_code == 200
        traveller.shift(29 * 60)
        assert client.get("/").status_code == 200
        traveller.shift(31 * 60)
        assert client.get("/").status_code == 302


def _session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().startswith(("UPDATE", "INSERT"))]
    return sum(1 for sql in writes if "django_session" in sql)


def test_a_request_that_changes_nothing_does_not_write_the_session(client, officer, settings):
    with time_machine.travel(time.time(), tick=False) as traveller:
        _login(client)
        assert _session_writes(client) == 0 and _session_writes(client, "/cases/") == 0
        traveller.shift(settings.SESSION_RENEW_SECONDS - 1)
        assert _session_writes(client) == 0
        traveller.shift(1)
        assert _session_writes(client) == 1  # renewed: its expiry moves on
        assert _session_writes(client) == 0


def test_with_fewer_writes_the_session_still_ends_at_most_thirty_idle_minutes_after_the_last_request(client, officer):
    with time_machine.travel(time.time(), tick=False) as traveller:
        _login(client)
        for _ in range(20):  # busy for ten minutes: renewed about once a minute, not 20 times
            traveller.shift(30)
            assert client.get("/").status_code == 200
        traveller.shift(28 * 60)
        assert client.get("/").status_code == 200
        traveller.shift(30 * 60 + 1)
        assert client.get("/").status_code == 302


def test_the_session_ends_twelve_hours_after_login_however_active(client, officer):
    with time_machine.travel(time.time(), tick=False) as traveller:
        _login(client)
        for _ in range(12 * 3 + 1):
            traveller.shift(20 * 60)
            response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


@pytest.fixture
def mfa_on(settings):
    settings.REQUIRE_MFA = True


def test_with_mfa_a_password_alone_reaches_only_the_mfa_step(client, officer, mfa_on):
    _login(client)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/mfa/")
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json() == {"errors": {"detail": ["Two-factor authentication is required."]}}


def test_first_login_enrols_an_authenticator_then_verifies_every_time(client, officer, mfa_on):
    from accounts.enrolment import enrolment_code_issue

    _, code = enrolment_code_issue(actor=None, user=officer)
    _login(client)
    assert b"Enter your enrolment code" in client.get("/account/mfa/").content
    assert client.post("/account/mfa/", {"enrolment_code": code.lower()}).status_code == 302
    setup = client.get("/account/mfa/")
    assert b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    bad = client.post("/account/mfa/", {"token": "000000" if _token(device) != "000000" else "111111"})
    assert b"The security code is wrong" in bad.content
    # django-otp throttles after a failure (1 s, doubling each time).
    with time_machine.travel(time.time() + 2, tick=False):
        device.refresh_from_db()
        good = client.post("/account/mfa/", {"token": _token(device), "next": "/"})
        assert good.status_code == 302
        assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_used_code_cannot_be_replayed(client, officer, mfa_on):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    token = _token(device)
    _login(client)
    assert client.post("/account/mfa/", {"token": token}).status_code == 302
    client.post("/account/logout/")
    _login(client)
    replay = client.post("/account/mfa/", {"token": token})
    assert replay.status_code == 200
    assert client.get("/").status_code == 302


def test_the_session_key_changes_at_login(client, officer):
    client.get("/account/login/")
    before = client.session.session_key
    _login(client)
    assert client.session.session_key != before


def test_enrolling_an_authenticator_needs_the_administrators_one_time_code(client, officer, mfa_on):
    from accounts.enrolment import enrolment_code_issue

    _login(client)
    wrong = client.post("/account/mfa/", {"enrolment_code": "ABCD-EFGH-JKLM"})
    assert wrong.status_code == 400 and b"The enrolment code is wrong" in wrong.content
    assert not TOTPDevice.objects.filter(user=officer).exists()  # no secret was made or shown
    _, code = enrolment_code_issue(actor=None, user=officer)
    assert client.post("/account/mfa/", {"enrolment_code": code}).status_code == 302
    assert b"<svg" in client.get("/account/mfa/").content
    client.post("/account/logout/")
    _login(client)
    reused = client.post("/account/mfa/", {"enrolment_code": code})
    assert reused.status_code == 400 and b"<svg" not in reused.content


def test_a_registrar_does_not_issue_her_own_enrolment_code(registrar):
    from accounts.enrolment import enrolment_code_issue
    from config.errors import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        enrolment_code_issue(actor=registrar, user=registrar)


def test_the_session_key_changes_again_at_the_second_factor(client, officer, mfa_on):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    _login(client)
    before = client.session.session_key
    assert client.post("/account/mfa/", {"token": _token(device)}).status_code == 302
    assert client.session.session_key != before
    assert client.get("/").status_code == 200
