"""Sign-in with the force's identity provider, end to end against a real OIDC provider process on
127.0.0.1 (tests/oidc_provider.py): discovery, JWKS, authorize, token and userinfo over HTTP, RS256
ID tokens. The browser's part (following redirects, posting the provider's sign-in form) is done here
with requests; the browser journey is tests/browser/test_oidc_journey.py."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from accounts.choices import AuditAction, Role
from accounts.models import AuditEntry, OIDCIdentity, User
from tests.oidc_provider import PASSWORD, running

pytestmark = pytest.mark.django_db

GROUP_MAP = {
    "sg-registrars": {"role": "registrar", "unit": "stalking-unit"},
    "sg-stalking-supervisors": {"role": "supervisor", "unit": "stalking-unit"},
    "sg-stalking-officers": {"role": "officer", "unit": "stalking-unit"},
}


@pytest.fixture(scope="module")
def provider():
    with running() as provider:
        yield provider


@pytest.fixture
def oidc(provider, settings, unit):
    for name, value in provider.settings(GROUP_MAP).items():
        setattr(settings, name, value)
    settings.REQUIRE_MFA = True  # the provider's second factor must satisfy it; no TOTP is asked for
    return provider


def sign_in(client, provider, username: str, password: str = PASSWORD, next_url: str = "/"):
    """The whole code flow: our redirect, the provider's form, its redirect to our callback."""
    start = client.get(f"/account/oidc/sign-in/?next={next_url}")
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == provider.issuer
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert params["code_challenge_method"] == "S256" and params["nonce"] and params["state"]
    answer = requests.post(
        f"{provider.issuer}/authorize",
        data={**params, "username": username, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    callback = urlparse(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def audit_details(action: str) -> list[str]:
    return list(AuditEntry.objects.filter(action=action).order_by("id").values_list("detail", flat=True))


def test_the_login_page_offers_the_force_identity_provider_only_when_configured(client, settings, provider, unit):
    assert "Sign in with" not in client.get("/account/login/").content.decode()
    for name, value in provider.settings(GROUP_MAP).items():
        setattr(settings, name, value)
    page = client.get("/account/login/?next=/cases/").content.decode()
    assert "Sign in with Test Force" in page
    assert "/account/oidc/sign-in/?next=/cases/" in page


def test_a_first_sign_in_creates_the_account_with_the_role_and_unit_of_its_group(client, oidc, unit):
    oidc.add("sub-ps", "p.shah", ["sg-everyone", "sg-stalking-officers"], given_name="Priya", family_name="Shah")

    response = sign_in(client, oidc, "p.shah", next_url="/cases/")

    assert response.status_code == 302 and response["Location"] == "/cases/"
    user = User.objects.get(username="p.shah")
    assert (user.role, user.unit, user.get_full_name()) == (Role.OFFICER, unit, "Priya Shah")
    assert not user.has_usable_password()  # the provider's password, never one of ours
    assert OIDCIdentity.objects.get(user=user).issuer == oidc.issuer
    # Signed in, with REQUIRE_MFA on, straight to the page: the provider's second factor counts.
    home = client.get("/")
    assert home.status_code == 200 and "Priya Shah" in home.content.decode()
    created = AuditEntry.objects.get(action=AuditAction.COLLECT, object_type="accounts.user", object_id=str(user.pk))
    assert {"role", "unit", "username"} <= set(created.changes)
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=user, detail="identity provider").exists()


def test_a_later_sign_in_updates_role_and_unit_from_the_groups(client, oidc, unit):
    oidc.add("sub-jb", "j.bell", ["sg-stalking-officers"])
    sign_in(client, oidc, "j.bell")
    client.logout()
    oidc.add("sub-jb", "j.bell", ["sg-stalking-officers", "sg-stalking-supervisors"])  # promoted upstream

    sign_in(client, oidc, "j.bell")

    user = User.objects.get(username="j.bell")
    assert user.role == Role.SUPERVISOR  # the map's first listed group of hers decides
    altered = AuditEntry.objects.filter(action=AuditAction.ALTER, object_type="accounts.user", object_id=str(user.pk))
    assert ["role"] in [entry.changes for entry in altered]
    assert User.objects.filter(username="j.bell").count() == 1
    assert not user.is_staff

    client.logout()
    oidc.add("sub-jb", "j.bell", ["sg-registrars"])
    sign_in(client, oidc, "j.bell")
    user.refresh_from_db()
    assert (user.role, user.is_staff) == (Role.REGISTRAR, True)  # the admin, as for local registrars
    client.logout()
    oidc.add("sub-jb", "j.bell", ["sg-stalking-officers"])
    sign_in(client, oidc, "j.bell")
    user.refresh_from_db()
    assert (user.role, user.is_staff) == (Role.OFFICER, False)


def test_a_sign_in_without_a_second_factor_is_refused_and_audited(client, oidc):
    oidc.add("sub-nm", "n.mfa", ["sg-stalking-officers"], amr=["pwd"])

    response = sign_in(client, oidc, "n.mfa")

    assert response.status_code == 302 and response["Location"] == "/account/login/"
    assert not User.objects.filter(username="n.mfa").exists()
    assert client.get("/").status_code == 302  # not signed in
    [detail] = [d for d in audit_details(AuditAction.LOGIN_FAILED) if "second factor" in d]
    assert "amr=['pwd']" in detail and "sub-nm" in detail
    page = client.get("/account/login/").content.decode()
    assert "did not use a second factor" in page


def test_an_acr_value_configured_as_a_second_factor_is_accepted(client, oidc, settings):
    settings.OIDC_MFA_ACR = ["urn:force:loa:mfa"]
    oidc.add("sub-acr", "a.acr", ["sg-stalking-officers"], amr=["pwd"], acr="urn:force:loa:mfa")

    assert sign_in(client, oidc, "a.acr")["Location"] == "/"
    assert User.objects.get(username="a.acr").role == Role.OFFICER


def test_a_person_in_no_mapped_group_is_refused_and_audited(client, oidc):
    oidc.add("sub-hr", "h.r", ["sg-everyone", "sg-human-resources"])

    response = sign_in(client, oidc, "h.r")

    assert response["Location"] == "/account/login/"
    assert not User.objects.filter(username="h.r").exists()
    assert any("none of the person's groups is mapped" in d for d in audit_details(AuditAction.LOGIN_FAILED))
    assert "not in a group that gives a role" in client.get("/account/login/").content.decode()


def test_a_provider_account_cannot_take_over_a_local_account_of_the_same_name(client, oidc, officer):
    oidc.add("sub-intruder", "officer", ["sg-stalking-supervisors"])

    assert sign_in(client, oidc, "officer")["Location"] == "/account/login/"

    officer.refresh_from_db()
    assert officer.role == Role.OFFICER and not OIDCIdentity.objects.exists()
    assert any("not linked to this provider" in d for d in audit_details(AuditAction.LOGIN_FAILED))
    assert "already has your username" in client.get("/account/login/").content.decode()


def test_a_person_disabled_upstream_is_refused_at_the_next_request(client, oidc, settings):
    oidc.add("sub-dd", "d.dunn", ["sg-stalking-officers"])
    sign_in(client, oidc, "d.dunn")
    settings.OIDC_RECHECK_SECONDS = 0  # ask the provider at every request
    assert client.get("/").status_code == 200  # asked, and still accepted

    oidc.disable("sub-dd")
    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    user = User.objects.get(username="d.dunn")
    assert not user.is_active and user.oidc_identity.disabled_upstream_at is not None
    assert client.get("/").status_code == 302  # the session is gone
    assert any("no longer accepts" in d for d in audit_details(AuditAction.LOGIN_FAILED))
    # The provider refuses the person at its own sign-in page too.
    assert sign_in_refused_upstream(oidc, "d.dunn")


def sign_in_refused_upstream(provider, username: str) -> bool:
    answer = requests.post(
        f"{provider.issuer}/authorize", data={"username": username, "password": PASSWORD}, timeout=10
    )
    return answer.status_code == 200 and "Wrong username or password" in answer.text


def test_a_group_removed_upstream_ends_the_session_at_the_recheck(client, oidc, settings):
    oidc.add("sub-gr", "g.ross", ["sg-stalking-officers"])
    sign_in(client, oidc, "g.ross")
    oidc.add("sub-gr", "g.ross", ["sg-everyone"])  # moved out of the unit upstream
    settings.OIDC_RECHECK_SECONDS = 0

    assert client.get("/").status_code == 302

    assert not User.objects.get(username="g.ross").is_active


def test_a_user_re_enabled_upstream_signs_in_again_but_one_disabled_here_does_not(client, oidc, settings):
    oidc.add("sub-re", "r.evans", ["sg-stalking-officers"])
    sign_in(client, oidc, "r.evans")
    oidc.add("sub-re", "r.evans", ["sg-everyone"])
    settings.OIDC_RECHECK_SECONDS = 0
    client.get("/")  # refused at the recheck: disabled upstream
    oidc.add("sub-re", "r.evans", ["sg-stalking-officers"])  # back in the unit

    assert sign_in(client, oidc, "r.evans")["Location"] == "/"
    user = User.objects.get(username="r.evans")
    assert user.is_active

    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)  # disabled in this service by an administrator
    assert sign_in(client, oidc, "r.evans")["Location"] == "/account/login/"
    assert any("disabled in this service" in d for d in audit_details(AuditAction.LOGIN_FAILED))
    assert "your account here is disabled" in client.get("/account/login/").content.decode()


def test_an_unreachable_provider_ends_the_session_without_disabling_the_account(client, oidc, settings):
    oidc.add("sub-ur", "u.reach", ["sg-stalking-officers"])
    sign_in(client, oidc, "u.reach")
    settings.OIDC_RECHECK_SECONDS = 0
    from accounts import oidc as oidc_module

    token_endpoint = oidc_module.discovery()["token_endpoint"]
    oidc_module.discovery()["token_endpoint"] = "http://127.0.0.1:9/token"  # nothing listens on port 9
    try:
        assert client.get("/").status_code == 302
    finally:
        oidc_module.discovery()["token_endpoint"] = token_endpoint
    assert User.objects.get(username="u.reach").is_active
    assert any("could not ask the provider again" in d for d in audit_details(AuditAction.LOGIN_FAILED))


def test_an_id_token_issued_to_another_service_is_refused(client, oidc):
    oidc.add("sub-fa", "f.aud", ["sg-stalking-officers"], audience="another-service")

    assert sign_in(client, oidc, "f.aud")["Location"] == "/account/login/"

    assert not User.objects.filter(username="f.aud").exists()
    assert any("ID token refused: Audience doesn't match" in d for d in audit_details(AuditAction.LOGIN_FAILED))


def test_without_an_identity_provider_its_pages_do_not_exist(client, db):
    assert client.get("/account/oidc/sign-in/").status_code == 404
    assert client.get("/account/oidc/callback/?code=x&state=y").status_code == 404


def test_with_userinfo_off_the_id_token_alone_signs_in_and_the_refresh_token_rechecks(client, oidc, settings):
    settings.OIDC_USERINFO = False  # as for Entra ID
    oidc.add("sub-ui", "u.info", ["sg-stalking-officers"], given_name="Uma")
    assert sign_in(client, oidc, "u.info")["Location"] == "/"
    assert User.objects.get(username="u.info").first_name == "Uma"
    settings.OIDC_RECHECK_SECONDS = 0
    assert client.get("/").status_code == 200

    oidc.disable("sub-ui")

    assert client.get("/").status_code == 302
    assert not User.objects.get(username="u.info").is_active


def test_refused_sign_ins_do_not_lock_out_the_next_person_at_the_same_address(client, oidc, settings):
    oidc.add("sub-lo", "l.out", ["sg-stalking-officers"], amr=["pwd"])
    oidc.add("sub-ok", "o.k", ["sg-stalking-officers"])
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert sign_in(client, oidc, "l.out")["Location"] == "/account/login/"

    assert sign_in(client, oidc, "o.k")["Location"] == "/"


def test_settings_from_the_compose_file_empty_values_mean_off_and_a_half_configuration_stops_start_up(tmp_path):
    from accounts.tests.test_settings import _run

    show = (
        "import django; django.setup(); from django.conf import settings as s; print(s.OIDC_GROUP_MAP, s.OIDC_MFA_AMR)"
    )
    base = {"SECRET_KEY": "x" * 60, "VAR_DIR": str(tmp_path)}
    empty = {"OIDC_ISSUER": "", "OIDC_GROUP_MAP": "", "OIDC_MFA_AMR": "", "OIDC_MFA_ACR": ""}
    result = _run(base | empty, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{} ['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face']"

    no_map = _run(base | {"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"}, show)
    assert no_map.returncode != 0 and "needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_GROUP_MAP" in no_map.stderr
    bad_map = _run(base | {"OIDC_GROUP_MAP": '{"sg": "officer"}'}, show)
    assert bad_map.returncode != 0 and "OIDC_GROUP_MAP must be" in bad_map.stderr
