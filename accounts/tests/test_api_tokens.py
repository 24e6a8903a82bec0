"""API tokens: issued to oneself after two-factor sign-in, named, scoped, expiring, revocable, audited,
shown once, and held to the same two-factor rule as the browser (issue 16)."""

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import audit
from accounts.api_auth import key_hash
from accounts.models import ApiToken
from accounts.tests.factories import TEST_PASSWORD
from accounts.tests.test_login import _token
from accounts.tokens import api_token_issue


@pytest.fixture
def mfa_on(settings):
    settings.REQUIRE_MFA = True


def _sign_in_with_second_factor(client, user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/account/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert client.post("/account/mfa/", {"token": _token(device)}).status_code == 302


def _issue_on_the_page(client, scope="read") -> str:
    response = client.post("/api-tokens/", {"name": "intelligence export", "scope": scope})
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    return re.search(rb'id="new-token">([^<]+)<', response.content).group(1).decode()


def _api(key):
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_issued_after_the_second_factor_works_and_only_its_hash_is_kept(client, officer, mfa_on):
    _sign_in_with_second_factor(client, officer)
    key = _issue_on_the_page(client)
    token = ApiToken.objects.get(user=officer)
    assert token.key_hash == key_hash(key) and key not in str(ApiToken.objects.values().get())
    assert token.issued_after_mfa and token.expires_at - token.issued_at == timedelta(days=30)
    assert _api(key).get("/api/v1/me/").json()["username"] == "officer"
    # Not shown again.
    assert key.encode() not in client.get("/api-tokens/").content
    assert any("api_tokens" in e.changes for e in audit.history(officer))


def test_with_mfa_required_a_token_issued_without_the_second_factor_is_refused(client, officer, settings):
    settings.REQUIRE_MFA = False
    client.force_login(officer)
    key = _issue_on_the_page(client)
    assert _api(key).get("/api/v1/me/").status_code == 200
    settings.REQUIRE_MFA = True
    refused = _api(key).get("/api/v1/me/")
    assert refused.status_code == 401
    assert "two-factor" in refused.json()["errors"]["detail"][0]


def test_a_password_only_session_cannot_issue_a_token(client, officer, mfa_on):
    client.post("/account/login/", {"username": "officer", "password": TEST_PASSWORD})
    response = client.post("/api-tokens/", {"name": "export", "scope": "write"})
    assert response.status_code == 302 and response["Location"].startswith("/account/mfa/")
    assert not ApiToken.objects.exists()


def test_a_read_only_token_cannot_write(officer):
    _, read = api_token_issue(actor=None, user=officer, name="reader", scope="read", after_mfa=True)
    _, write = api_token_issue(actor=None, user=officer, name="writer", scope="write", after_mfa=True)
    assert _api(read).post("/api/v1/me/", {}).status_code == 403
    assert _api(write).post("/api/v1/me/", {}).status_code == 405  # past authentication: the method


def test_an_expired_token_is_refused(officer, settings):
    settings.API_TOKEN_DAYS = 7
    _, key = api_token_issue(actor=None, user=officer, name="weekly", scope="read", after_mfa=True)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert _api(key).get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert _api(key).get("/api/v1/me/").status_code == 401


def test_a_revoked_token_is_refused_and_the_revocation_is_audited(client, officer, mfa_on):
    _sign_in_with_second_factor(client, officer)
    key = _issue_on_the_page(client)
    token = ApiToken.objects.get(user=officer)
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    assert _api(key).get("/api/v1/me/").status_code == 401
    assert any("revoked by officer" in e.detail for e in audit.history(officer))


def test_nobody_revokes_anothers_token_on_the_page(client, officer, supervisor):
    token, key = api_token_issue(actor=None, user=officer, name="job", scope="read", after_mfa=True)
    client.force_login(supervisor)
    client.post(f"/api-tokens/{token.pk}/revoke/")
    assert _api(key).get("/api/v1/me/").status_code == 200


def test_a_token_of_a_disabled_user_is_refused(officer):
    _, key = api_token_issue(actor=None, user=officer, name="job", scope="read", after_mfa=True)
    officer.is_active = False
    officer.save()
    assert _api(key).get("/api/v1/me/").status_code == 401


def test_a_service_account_token_is_issued_from_the_command_line(officer, capsys, mfa_on):
    call_command("issue_api_token", "officer", "--name", "nightly export", "--scope", "read")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert _api(key).get("/api/v1/me/").status_code == 200


def test_old_plaintext_tokens_become_hashed_expiring_tokens_issued_without_mfa(officer, settings):
    migration = importlib.import_module("accounts.migrations.0007_api_tokens_checkpoints_enrolment_codes")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz, user_id bigint)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef', %s, %s)", [timezone.now(), officer.pk])
    # The data step reads only the editor's connection; a real schema editor cannot open inside a test's
    # transaction on SQLite.
    migration.import_old_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    settings.REQUIRE_MFA = False
    assert _api("0123456789abcdef").get("/api/v1/me/").status_code == 200
    settings.REQUIRE_MFA = True
    assert _api("0123456789abcdef").get("/api/v1/me/").status_code == 401
