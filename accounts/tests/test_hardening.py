"""Smaller defences of issue 16: a throttle per address on failed sign-ins, no caching of answers, NUL
bytes refused with 400, and no serving with DEBUG off while demo accounts keep their published password."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.choices import AuditAction, Role
from accounts.management.commands.seed_demo import DEMO_PASSWORD
from accounts.models import AuditEntry
from accounts.startup import refuse_demo_accounts
from accounts.tests.factories import TEST_PASSWORD, UserFactory


def _sign_in(client, username, password, ip):
    return client.post("/account/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_address_spraying_passwords_over_many_usernames_is_refused(client, officer, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    # Under the per-username limit (5) for each name, so django-axes alone would never stop this.
    for n in range(6):
        assert _sign_in(client, f"guess{n}", "Password1!", "203.0.113.9").status_code == 200
    refused = _sign_in(client, "officer", TEST_PASSWORD, "203.0.113.9")
    assert refused.status_code == 429
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGIN_FAILED, ip="203.0.113.9", detail__startswith="refused"
    ).exists()
    # The officer, elsewhere, signs in.
    assert _sign_in(client, "officer", TEST_PASSWORD, "198.51.100.20").status_code == 302


def test_below_the_address_limit_a_sign_in_goes_through(client, officer, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for n in range(5):
        _sign_in(client, f"guess{n}", "Password1!", "203.0.113.9")
    assert _sign_in(client, "officer", TEST_PASSWORD, "203.0.113.9").status_code == 302


def test_pages_and_api_answers_are_not_cached(client, officer, case):
    client.force_login(officer)
    for url in ("/", f"/cases/{case.pk}/", "/api/v1/me/", "/account/login/"):
        assert client.get(url)["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("url", ["/risk/cases/?officer=%00", "/cases/?q=a%00b", "/cases/?%00=1", "/cases/%00/"])
def test_a_nul_byte_in_the_address_is_a_400(client, officer, url):
    client.force_login(officer)
    assert client.get(url).status_code == 400


def test_with_debug_off_start_up_refuses_demo_accounts_with_the_published_password(db, settings, unit):
    settings.DEBUG = False
    demo = UserFactory(username="supervisor", role=Role.SUPERVISOR, unit=unit)
    demo.set_password(DEMO_PASSWORD)
    demo.save()
    with pytest.raises(ImproperlyConfigured, match="supervisor"):
        refuse_demo_accounts()
    settings.DEBUG = True
    refuse_demo_accounts()
    settings.DEBUG = False
    demo.set_password("a-password-only-she-knows-2026")
    demo.save()
    refuse_demo_accounts()
