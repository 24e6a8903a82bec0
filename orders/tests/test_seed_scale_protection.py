import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from casework import alerts
from casework.models import Alert
from orders.alert_checks import CHECKS
from orders.models import SuspectRoute


def test_it_needs_the_synthetic_flag(db):
    with pytest.raises(CommandError, match="--synthetic"):
        call_command("seed_scale_protection")


def test_it_seeds_protection_that_the_checks_find_and_skips_cases_already_seeded(db):
    call_command("seed_scale", "--cases", "40", "--synthetic")
    call_command("seed_scale_protection", "--synthetic")
    call_command("seed_scale_protection", "--synthetic")
    assert SuspectRoute.objects.count() == 40
    alerts.sweep_all()
    kinds = [check.kind for check in CHECKS]
    raised = dict(Alert.objects.filter(kind__in=kinds).values_list("kind").annotate(n=Count("id")))
    assert raised == {
        "bail_expiring": 5,
        "route_awaiting_review": 4,
        "order_expiring": 4,
        "order_notification_missed": 3,
        "victim_not_told": 2,
        "breach_offence_not_considered": 2,
        "breach_proposed": 2,
    }
