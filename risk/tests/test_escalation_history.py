"""The detector over the real database: the whole history (other cases, legacy notices, breaches) through
the providers, recomputed when it changes and each night as time passes; a drop asks for one review."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.choices import AlertKind, Circumstance, EntryKind, EntryPlace, PartyRole
from casework.models import Alert, CaseParty, TimelineEvent
from casework.services.incidents import IncidentInput, incident_record
from casework.tests.factories import CaseFactory, PersonFactory, add_victim
from recording.services import legacy_notice_record
from risk import selectors
from risk.choices import AssessmentStatus
from risk.models import EscalationRules, EscalationSnapshot, RiskAssessment
from risk.services import escalation_refresh_case
from risk.tasks import escalation_nightly_task

pytestmark = pytest.mark.django_db
START = datetime(2025, 1, 10, 12, tzinfo=UTC)


@pytest.fixture
def suspect(case):
    person = PersonFactory(first_name="Mark", last_name="Dunn")
    CaseParty.objects.create(case=case, person=person, role=PartyRole.SUSPECT)
    return person


@pytest.fixture
def victim(case):
    return add_victim(case, "Amy", "Lee")


def record(officer, case, when: datetime, channel: str = "text", **facts):
    return incident_record(actor=officer, case=case, data=IncidentInput(occurred_at=when, channel=channel, **facts))


def latest(case) -> EscalationSnapshot:
    return selectors.latest_escalation(case)


def fell_alerts(case):
    return Alert.objects.filter(case=case, kind=AlertKind.ESCALATION_FELL)


def test_reasons_cite_incidents_by_their_number_in_the_case(officer, case, victim, suspect):
    other = CaseFactory(unit=case.unit, officer=officer)
    record(officer, other, START)  # ids and numbers part ways: this case's first is #1 whatever its id
    record(officer, case, START - timedelta(days=3))
    forced = record(
        officer, case, START - timedelta(days=1), "in_person",
        entry=EntryKind.FORCED, entry_place=EntryPlace.HOME, circumstances=[Circumstance.AT_NIGHT],
    )  # fmt: skip
    with time_machine.travel(START, tick=False):
        escalation_refresh_case(case.pk)
    snapshot = latest(case)
    assert forced.number == 2 and forced.pk != 2
    assert snapshot.level == "critical"
    assert "At least critical: he got into her home at night (incident #2)" in snapshot.reasons
    intrusion = next(s for s in snapshot.signals if s["name"] == "intrusion")
    assert intrusion["weight"] == 8 and "Forced entry into her home (incident #2)" in intrusion["reasons"]
    assert snapshot.rules_version == "v1"


def test_the_nightly_sweep_recomputes_a_drop_raises_one_review_alert_and_a_review_clears_it(
    officer, case, victim, suspect
):
    with time_machine.travel(START, tick=False) as clock:
        record(officer, case, START - timedelta(days=1), threats=["kill"])
        escalation_refresh_case(case.pk)
        assert latest(case).level == "high"

        clock.shift(timedelta(days=366))  # the threat passes out of the last 12 months; nothing was written
        escalation_nightly_task()
        assert latest(case).level == "none"
        assert latest(case).fell_from == "high"
        assert TimelineEvent.objects.filter(case=case, summary__startswith="Escalation fell from high to none").exists()
        (alert,) = fell_alerts(case)
        assert alert.resolved_at is None and alert.facts == {"from": "high", "to": "none"}

        # An older incident found later changes the reasons, not the level: still the one alert.
        record(officer, case, START - timedelta(days=500), weapon="knife")
        escalation_refresh_case(case.pk)
        clock.shift(timedelta(days=1))
        escalation_nightly_task()
        assert EscalationSnapshot.objects.filter(case=case).count() == 3
        assert latest(case).fell_from == "high"
        assert fell_alerts(case).count() == 1 and fell_alerts(case).get().resolved_at is None

        RiskAssessment.objects.create(
            case=case, victim=victim, assessor=officer, status=AssessmentStatus.COMPLETED, grade="medium",
            completed_at=START + timedelta(days=368),
        )  # fmt: skip
        clock.shift(timedelta(days=1))
        escalation_nightly_task()
        assert fell_alerts(case).count() == 1 and fell_alerts(case).get().resolved_at is not None


def test_the_nightly_sweep_leaves_quiet_cases_alone(officer, case, victim):
    with time_machine.travel(START, tick=False) as clock:
        record(officer, case, START - timedelta(days=800))
        escalation_refresh_case(case.pk)
        clock.shift(timedelta(days=1))
        assert list(selectors.cases_time_may_change(selectors.current_rules(), START)) == []


def test_importing_a_legacy_notice_recomputes_at_once_here_and_in_his_other_cases(
    officer, case, victim, suspect, django_capture_on_commit_callbacks
):
    other = CaseFactory(unit=case.unit, officer=officer)
    CaseParty.objects.create(case=other, person=suspect, role=PartyRole.SUSPECT)
    add_victim(other, "Beth", "Ward")
    with time_machine.travel(START, tick=False):
        record(officer, case, START - timedelta(days=5))
        record(officer, other, START - timedelta(days=2))
        escalation_refresh_case(case.pk)
        before = latest(case)
        with django_capture_on_commit_callbacks(execute=True):
            legacy_notice_record(
                actor=officer, case=case, recipient=suspect, notice_type="harassment_warning",
                issued_on=date(2024, 12, 1), issuing_force="Avon and Somerset",
            )  # fmt: skip
    now = latest(case)
    assert now.pk != before.pk and now.score > before.score
    assert "Warned by police before: harassment warning 01 Dec 2024" in now.reasons
    assert "Contact after a warning or arrest on 01 Dec 2024 (incident #1)" in now.reasons
    his_other = latest(other)
    assert "Warned by police before: harassment warning 01 Dec 2024" in his_other.reasons
    assert any(r.startswith("He is the suspect in 1 case(s) against someone else") for r in his_other.reasons)


def test_his_earlier_cases_against_her_feed_the_detector(officer, case, victim, suspect):
    for _ in range(2):
        earlier = CaseFactory(unit=case.unit, officer=officer)
        CaseParty.objects.create(case=earlier, person=suspect, role=PartyRole.SUSPECT)
        CaseParty.objects.create(case=earlier, person=victim, role=PartyRole.VICTIM)
        record(officer, earlier, START - timedelta(days=100), reported_at=START - timedelta(days=99))
    with time_machine.travel(START, tick=False):
        record(officer, case, START - timedelta(days=1))
        escalation_refresh_case(case.pk)
    reasons = latest(case).reasons
    assert any(r.startswith("He is the suspect in 2 other case(s) against her") for r in reasons)
    assert "2 report(s) about her in her other cases in the last 12 months" in reasons


def test_the_facts_take_the_same_queries_however_long_the_history(officer, case, victim, suspect):
    small = CaseFactory(unit=case.unit, officer=officer)
    CaseParty.objects.create(case=small, person=PersonFactory(), role=PartyRole.SUSPECT)
    record(officer, small, START)
    for n in range(30):
        record(officer, case, START - timedelta(days=n), new_identity_kind="phone", new_identity=f"0770090{n:04d}")
    for _ in range(3):
        earlier = CaseFactory(unit=case.unit, officer=officer)
        CaseParty.objects.create(case=earlier, person=suspect, role=PartyRole.SUSPECT)
    rules = selectors.current_rules()
    counts = []
    for subject in (small, case):
        with CaptureQueriesContext(connection) as queries:
            selectors.escalation_facts(subject, rules)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_new_table_version_is_used_and_each_snapshot_keeps_its_version(officer, case, victim, tmp_path):
    import json

    from risk.escalation import BUILTIN_RULES

    with time_machine.travel(START, tick=False):
        record(officer, case, START - timedelta(days=1), "in_person", entry="tried", entry_place="car")
        escalation_refresh_case(case.pk)
        assert (latest(case).level, latest(case).rules_version) == ("rising", "v1")
        raw = json.loads(BUILTIN_RULES.read_text()) | {"version": "v2-avon", "title": "Entry weighs more"}
        raw["weights"]["intrusion_tried"] = 8
        path = tmp_path / "rules.json"
        path.write_text(json.dumps(raw))
        call_command("load_escalation_rules", str(path))
        escalation_refresh_case(case.pk)
    assert (latest(case).level, latest(case).rules_version) == ("high", "v2-avon")
    assert EscalationSnapshot.objects.filter(case=case, rules_version="v1").exists()
    assert EscalationRules.objects.filter(version="v2-avon").exists()


def test_a_table_with_faults_is_refused_naming_them(tmp_path, db):
    from django.core.management.base import CommandError

    path = tmp_path / "rules.json"
    path.write_text('{"version": "v9", "levels": {}}')
    with pytest.raises(CommandError, match="levels: missing critical, high, rising"):
        call_command("load_escalation_rules", str(path))


def test_dozens_of_reports_in_one_case_make_her_a_repeat_victim(officer, case, victim, settings):
    settings.REPEAT_MIN_REPORTS = 3
    for n in range(2):
        record(officer, case, START - timedelta(days=n), reported_at=START)
    with time_machine.travel(START, tick=False):
        escalation_refresh_case(case.pk)
        case.refresh_from_db()
        assert not case.is_repeat_victim
        record(officer, case, START - timedelta(days=3), reported_at=START)
        escalation_refresh_case(case.pk)
    case.refresh_from_db()
    assert case.is_repeat_victim and not case.is_repeat_suspect


def test_linking_a_suspect_with_another_case_recomputes_at_once(
    officer, case, victim, django_capture_on_commit_callbacks
):
    from casework.services.people import party_add

    suspect = PersonFactory(first_name="Mark", last_name="Dunn")
    earlier = CaseFactory(unit=case.unit, officer=officer)
    CaseParty.objects.create(case=earlier, person=suspect, role=PartyRole.SUSPECT)
    record(officer, case, START - timedelta(days=2))
    escalation_refresh_case(case.pk)
    assert latest(case).level == "none"
    with django_capture_on_commit_callbacks(execute=True):
        party_add(actor=officer, case=case, person=suspect, role="suspect")
    assert any(r.startswith("He is the suspect in 1 case(s) against someone else") for r in latest(case).reasons)
    assert latest(case).level == "rising"


def test_the_api_gives_the_signals_their_numbers_and_what_the_level_means(officer, case, victim):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(officer)
    record(officer, case, START - timedelta(days=1), "in_person", entry="entered", entry_place="bedroom")
    with time_machine.travel(START, tick=False):
        escalation_refresh_case(case.pk)
    body = api.get(f"/api/v1/cases/{case.pk}/escalation/").json()
    assert (body["level"], body["rules_version"]) == ("high", "v1")
    assert body["meaning"].startswith("Review the risk today")
    (intrusion,) = [s for s in body["signals"] if s["name"] == "intrusion"]
    assert intrusion["reasons"] == ["Got into her bedroom (incident #1)", "In her bedroom (incident #1)"]
    assert body["history"][0]["fell_from"] == ""
