"""A registrar manages the police users of her own force in the admin, and nothing more: no superuser
status, permissions, passwords, authenticator secrets or tokens of others (issue 16)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission

from accounts.choices import Role
from accounts.models import ApiToken, EnrolmentCode, User
from accounts.tests.factories import TEST_PASSWORD, ForceFactory, UnitFactory, UserFactory
from accounts.tokens import api_token_issue
from config.errors import TransitionNotAllowed


@pytest.fixture
def other_force_unit(db):
    return UnitFactory(code="gmp-unit", force=ForceFactory(code="gmp", name="Greater Manchester Police"))


def _change(client, user, **fields):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "unit": user.unit_id,
        "is_active": "on",
    } | fields
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_a_registrar_changes_the_role_of_a_user_of_her_force_and_it_shows_in_the_history(client, registrar, officer):
    client.force_login(registrar)
    assert _change(client, officer, role=Role.SUPERVISOR).status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.SUPERVISOR
    history = client.get(f"/admin/accounts/user/{officer.pk}/history/")
    assert history.status_code == 200
    assert b"role" in history.content and b"registrar" in history.content


def test_a_registrar_cannot_grant_superuser_permissions_or_groups(client, registrar, officer):
    client.force_login(registrar)
    perm = Permission.objects.get(codename="change_user")
    group = Group.objects.create(name="admins")
    response = _change(client, officer, is_superuser="on", is_staff="on", user_permissions=[perm.pk], groups=[group.pk])
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_superuser and not officer.is_staff
    assert not officer.user_permissions.exists() and not officer.groups.exists()
    page = client.get(f"/admin/accounts/user/{officer.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="password"' not in page and "/password/" not in page


def test_a_registrar_cannot_place_someone_in_another_forces_unit(client, registrar, officer, other_force_unit):
    client.force_login(registrar)
    response = _change(client, officer, unit=other_force_unit.pk)
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    officer.refresh_from_db()
    assert officer.unit_id == registrar.unit_id


def test_a_registrar_cannot_make_a_cps_lawyer_or_an_advocate(client, registrar, officer):
    client.force_login(registrar)
    assert _change(client, officer, role=Role.CPS_LAWYER).status_code == 200
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER


def test_a_registrar_neither_sees_nor_changes_users_of_another_force(client, registrar, other_force_unit):
    outsider = UserFactory(username="gmp-officer", role=Role.OFFICER, unit=other_force_unit)
    client.force_login(registrar)
    listing = client.get("/admin/accounts/user/")
    assert listing.status_code == 200 and b"gmp-officer" not in listing.content
    assert client.get(f"/admin/accounts/user/{outsider.pk}/change/").status_code == 302  # "does not exist"
    _change(client, outsider, role=Role.REGISTRAR, unit=registrar.unit_id)
    outsider.refresh_from_db()
    assert (outsider.role, outsider.unit_id) == (Role.OFFICER, other_force_unit.pk)
    assert client.get(f"/admin/accounts/user/{outsider.pk}/history/").status_code == 403


def test_a_registrar_cannot_see_or_change_a_superuser(client, registrar, unit):
    boss = User.objects.create_superuser("root", password=TEST_PASSWORD)
    client.force_login(registrar)
    assert b"root" not in client.get("/admin/accounts/user/").content
    assert client.get(f"/admin/accounts/user/{boss.pk}/change/").status_code == 302


def test_nobody_sets_another_users_password_in_the_admin(client, registrar, officer):
    client.force_login(registrar)
    url = f"/admin/accounts/user/{officer.pk}/password/"
    assert client.get(url).status_code == 403
    new = "a-brand-new-password-2026"
    assert client.post(url, {"password1": new, "password2": new}).status_code == 403
    officer.refresh_from_db()
    assert officer.check_password(TEST_PASSWORD)


def test_authenticator_secrets_and_token_minting_are_not_in_the_admin(client, registrar, officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client.force_login(registrar)
    assert TOTPDevice not in admin.site._registry and ApiToken not in admin.site._registry
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 404
    with pytest.raises(TransitionNotAllowed):
        api_token_issue(actor=registrar, user=officer, name="sneaky", scope="write", after_mfa=True)
    assert not ApiToken.objects.exists()


def test_a_registrar_adds_an_officer_to_her_force_but_not_to_another(client, registrar, other_force_unit):
    client.force_login(registrar)
    data = {
        "username": "new.officer",
        "usable_password": "true",
        "password1": "a-long-new-password-2026",
        "password2": "a-long-new-password-2026",
        "role": Role.OFFICER,
    }
    refused = client.post("/admin/accounts/user/add/", data | {"username": "gmp.new", "unit": other_force_unit.pk})
    assert refused.status_code == 200 and not User.objects.filter(username="gmp.new").exists()
    assert client.post("/admin/accounts/user/add/", data | {"unit": registrar.unit_id}).status_code == 302
    made = User.objects.get(username="new.officer")
    assert (made.unit_id, made.is_superuser, made.is_staff) == (registrar.unit_id, False, False)


def test_an_officer_does_not_reach_user_administration(client, officer):
    client.force_login(officer)
    assert client.get("/admin/accounts/user/").status_code == 302  # to the admin's login


def test_an_enrolment_code_is_issued_for_a_user_of_her_force_and_shown_once(client, registrar, officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=officer, name="lost phone", confirmed=True)
    client.force_login(registrar)
    response = client.post(
        "/admin/accounts/user/", {"action": "issue_enrolment_code", "_selected_action": [officer.pk]}
    )
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")
    enrolment = EnrolmentCode.objects.get(user=officer)
    assert enrolment.issued_by == registrar
    assert not TOTPDevice.objects.filter(user=officer).exists()
    history = client.get(f"/admin/accounts/user/{officer.pk}/history/").content.decode()
    assert "mfa_device" in history and "enrolment code issued by registrar" in history
