import pytest
from django.core.management import CommandError, call_command

from accounts.choices import Role
from accounts.models import User
from accounts.tests.factories import CPSAreaFactory, SupportOrganisationFactory, UnitFactory


@pytest.fixture
def places(db):
    return {
        "unit": UnitFactory(code="wm-stalking"),
        "cps": CPSAreaFactory(code="cps-wm"),
        "org": SupportOrganisationFactory(code="paladin"),
    }


GOOD_PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(
    ("role", "place", "field"),
    [
        (Role.OFFICER, "wm-stalking", "unit"),
        (Role.SUPERVISOR, "wm-stalking", "unit"),
        (Role.REGISTRAR, "wm-stalking", "unit"),
        (Role.CPS_LAWYER, "cps-wm", "cps_area"),
        (Role.ADVOCATE, "paladin", "organisation"),
    ],
)
def test_it_creates_a_user_in_the_place_their_role_belongs_to(places, role, place, field, capsys):
    call_command("create_user", "jdoe", "--role", role, "--unit", place, "--password", GOOD_PASSWORD)
    user = User.objects.get(username="jdoe")
    assert user.role == role
    assert getattr(user, field).code == place
    assert user.check_password(GOOD_PASSWORD)
    assert user.is_staff == (role == Role.REGISTRAR)
    assert "Created jdoe" in capsys.readouterr().out


def test_it_refuses_an_unknown_role(places):
    with pytest.raises(CommandError, match="Unknown role 'detective'. Known roles: officer"):
        call_command("create_user", "jdoe", "--role", "detective", "--unit", "wm-stalking", "--password", GOOD_PASSWORD)
    assert not User.objects.filter(username="jdoe").exists()


def test_it_refuses_an_unknown_unit_and_lists_the_known_ones(places):
    with pytest.raises(CommandError, match="Unknown unit 'nowhere' for role officer. Known: wm-stalking"):
        call_command("create_user", "jdoe", "--role", "officer", "--unit", "nowhere", "--password", GOOD_PASSWORD)


def test_it_refuses_a_unit_code_for_a_cps_lawyer(places):
    with pytest.raises(CommandError, match="Unknown CPS area 'wm-stalking'"):
        call_command(
            "create_user", "jdoe", "--role", "cps_lawyer", "--unit", "wm-stalking", "--password", GOOD_PASSWORD
        )


def test_it_refuses_a_short_or_common_password(places):
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("create_user", "jdoe", "--role", "officer", "--unit", "wm-stalking", "--password", "short")
    with pytest.raises(CommandError, match="too common"):
        call_command("create_user", "jdoe", "--role", "officer", "--unit", "wm-stalking", "--password", "password1234")


def test_it_refuses_a_duplicate_username(places):
    call_command("create_user", "jdoe", "--role", "officer", "--unit", "wm-stalking", "--password", GOOD_PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_user", "JDoe", "--role", "officer", "--unit", "wm-stalking", "--password", GOOD_PASSWORD)


def test_it_prompts_for_the_password_when_none_is_given(places, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_user", "jdoe", "--role", "officer", "--unit", "wm-stalking")
    assert User.objects.get(username="jdoe").check_password(GOOD_PASSWORD)


def test_it_refuses_mismatched_prompted_passwords(places, monkeypatch):
    answers = iter([GOOD_PASSWORD, "something else entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command("create_user", "jdoe", "--role", "officer", "--unit", "wm-stalking")
