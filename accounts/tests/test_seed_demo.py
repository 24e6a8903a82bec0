import pytest
from django.core.management import CommandError, call_command

from accounts import policy
from accounts.models import User
from casework.models import Case


def test_it_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only with DEMO_MODE"):
        call_command("seed_demo")


def test_it_loads_a_demo_case_with_a_repeat_suspect_once(db, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    call_command("seed_demo")
    case = Case.objects.get(title__startswith="Demo: following")
    assert case.is_repeat_suspect and case.is_domestic_abuse
    assert case.incidents.count() == 5
    advocate = User.objects.get(username="advocate")
    assert policy.may(advocate, policy.Action.VIEW_VICTIM_SAFE, case)  # referred with her consent
    assert Case.objects.count() == 2
