import pytest
from django.core.management import CommandError, call_command

from casework import alerts
from casework.models import Alert, Case, Incident


def test_it_needs_the_synthetic_flag(db):
    with pytest.raises(CommandError, match="--synthetic"):
        call_command("seed_scale", "--cases", "3")


def test_it_seeds_cases_that_the_checks_find(db):
    call_command("seed_scale", "--cases", "30", "--synthetic")
    assert Case.objects.count() == 30 and Incident.objects.count() == 60
    alerts.sweep_all()
    assert Alert.objects.filter(kind="victim_update_overdue").count() == 10
    assert Alert.objects.filter(kind="evidence_deadline").count() == 6
    assert not Alert.objects.filter(kind="no_crime_record").exists()  # incidents logged just now
