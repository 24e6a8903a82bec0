"""The officer's review of incidents passed on by the victim's advocate: accepting one onto the course of
conduct (through incident_record), declining one with a reason, each once; and the alert when one waits."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuditEntry
from casework import alerts
from casework.alert_checks import CHECKS
from casework.choices import AlertKind, CaseStage, OutcomeCode, PassedOnStatus, ReportedBy, TimelineKind
from casework.models import Alert, Case, Incident, PassedOnIncident, SupportReferral, TimelineEvent
from casework.services.care import passed_on_record
from casework.services.passed_on import passed_on_accept, passed_on_decline
from casework.tests import factories
from casework.tests.factories import CaseFactory, add_victim
from config.errors import InvalidInput, TransitionNotAllowed

LONDON = ZoneInfo("Europe/London")
CHECK = next(check for check in CHECKS if check.kind == AlertKind.PASSED_ON_NOT_REVIEWED)


FOUR_TEXTS = {"count": 4, "account": "He texted four times last night saying he is outside."}


def pass_on(case, victim, advocate, **changes):
    return factories.pass_on(case, victim, advocate, **(FOUR_TEXTS | changes))


@pytest.fixture
def victim(case):
    return add_victim(case)


@pytest.fixture
def item(case, victim, advocate):
    return pass_on(case, victim, advocate)


# --- Accepting ------------------------------------------------------------------------------------------


def test_accepting_records_the_incident_as_passed_on_and_links_it(officer, case, victim, item):
    incident = passed_on_accept(actor=officer, item=item)
    assert (incident.occurred_at, incident.channel, incident.count) == (item.occurred_at, "text", 4)
    assert incident.victim == victim and incident.reported_by == ReportedBy.ADVOCATE
    assert incident.narrative == item.account and incident.reported_at == item.passed_on_at
    assert incident.created_by == officer
    item.refresh_from_db()
    assert item.status == PassedOnStatus.ACCEPTED and item.incident == incident
    assert item.decided_by == officer and item.decided_at is not None
    event = TimelineEvent.objects.get(case=case, kind=TimelineKind.INCIDENT)
    assert event.source_id == str(incident.pk) and event.count == 4 and event.person_id == victim.pk
    assert AuditEntry.objects.filter(object_type="casework.passedonincident", object_id=str(item.pk)).exists()


def test_the_officer_may_adjust_the_incident_when_accepting(officer, case, item):
    incident = passed_on_accept(
        actor=officer,
        item=item,
        count=5,
        place="victim_home",
        behaviours=["contacting"],
        narrative="Five texts; she says he was outside her home.",
    )
    assert incident.count == 5 and incident.place == "victim_home" and incident.behaviours == ["contacting"]
    assert incident.narrative == "Five texts; she says he was outside her home."
    assert incident.reported_by == ReportedBy.ADVOCATE


def test_a_bad_adjustment_is_refused_and_nothing_is_saved(officer, case, item):
    for changes, field in [
        ({"count": 0}, "count"),
        ({"channel": "pigeon"}, "channel"),
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at"),
        ({"place": "moon"}, "place"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            passed_on_accept(actor=officer, item=item, **changes)
        assert field in refused.value.errors
    with pytest.raises(InvalidInput, match="cannot be set"):
        passed_on_accept(actor=officer, item=item, victim_id=None, reported_by="victim")
    assert not Incident.objects.exists() and not TimelineEvent.objects.exists()
    assert PassedOnIncident.objects.get(pk=item.pk).status == PassedOnStatus.AWAITING


def test_it_is_accepted_or_declined_once(officer, item, case, victim, advocate):
    passed_on_accept(actor=officer, item=item)
    with pytest.raises(TransitionNotAllowed, match="already accepted"):
        passed_on_accept(actor=officer, item=item)
    with pytest.raises(TransitionNotAllowed, match="already accepted"):
        passed_on_decline(actor=officer, item=item, reason="Duplicate")
    assert Incident.objects.count() == 1
    other = pass_on(case, victim, advocate)
    passed_on_decline(actor=officer, item=other, reason="Already logged from her own call")
    with pytest.raises(TransitionNotAllowed, match="already declined"):
        passed_on_accept(actor=officer, item=other)
    with pytest.raises(TransitionNotAllowed, match="already declined"):
        passed_on_decline(actor=officer, item=other, reason="Again")
    assert Incident.objects.count() == 1
    assert PassedOnIncident.objects.get(pk=other.pk).decline_reason == "Already logged from her own call"


def test_only_those_who_may_change_the_case_decide(officer, supervisor, registrar, stranger, lawyer, advocate, item):
    for someone in (registrar, stranger, lawyer, advocate):
        with pytest.raises(InvalidInput):
            passed_on_accept(actor=someone, item=item)
        with pytest.raises(InvalidInput):
            passed_on_decline(actor=someone, item=item, reason="No")
    assert PassedOnIncident.objects.get(pk=item.pk).status == PassedOnStatus.AWAITING
    passed_on_accept(actor=supervisor, item=item)


# --- Declining ------------------------------------------------------------------------------------------


def test_declining_needs_a_reason_the_advocate_will_see_and_adds_nothing_to_the_course_of_conduct(officer, item):
    with pytest.raises(InvalidInput) as refused:
        passed_on_decline(actor=officer, item=item, reason="   ")
    assert list(refused.value.errors) == ["reason"]
    assert PassedOnIncident.objects.get(pk=item.pk).status == PassedOnStatus.AWAITING
    declined = passed_on_decline(actor=officer, item=item, reason="  The same texts are already incident 3  ")
    assert (
        declined.status == PassedOnStatus.DECLINED
        and declined.decline_reason == "The same texts are already incident 3"
    )
    assert declined.decided_by == officer and declined.incident is None
    assert not Incident.objects.exists() and not TimelineEvent.objects.exists()


# --- From the advocate to the course of conduct ----------------------------------------------------------


def test_what_her_advocate_passes_on_reaches_the_course_of_conduct_only_when_accepted(officer, advocate, case, victim):
    SupportReferral.objects.create(
        case=case,
        victim=victim,
        service="stalking_advocate",
        referred_on=timezone.localdate(),
        organisation=advocate.organisation,
        consent_to_share=True,
        recorded_by=officer,
    )
    item = passed_on_record(
        actor=advocate,
        case=case,
        victim_id=victim.pk,
        occurred_at=timezone.now() - timedelta(hours=3),
        channel="phone_call",
        count=2,
        account="He rang twice from a withheld number.",
    )
    assert not TimelineEvent.objects.filter(kind=TimelineKind.INCIDENT).exists()
    incident = passed_on_accept(actor=officer, item=item)
    assert TimelineEvent.objects.get(kind=TimelineKind.INCIDENT).source_id == str(incident.pk)
    assert incident.reported_by == ReportedBy.ADVOCATE and incident.narrative == "He rang twice from a withheld number."


# --- The alert --------------------------------------------------------------------------------------------


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def _open() -> list[Alert]:
    return list(Alert.objects.filter(kind=AlertKind.PASSED_ON_NOT_REVIEWED, resolved_at__isnull=True))


def test_an_item_waiting_a_day_raises_one_alert_to_the_officer_until_decided(officer, case, victim, advocate):
    passed = datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    with at(passed):
        first = pass_on(case, victim, advocate, occurred_at=passed - timedelta(days=1))
    with at(passed + timedelta(hours=2)):
        second = pass_on(case, victim, advocate, occurred_at=passed - timedelta(days=1))
    with at(passed + timedelta(hours=23, minutes=59)):
        assert alerts.sweep(CHECK).raised == 0
    with at(passed + timedelta(hours=24)):
        assert alerts.sweep(CHECK).raised == 1
    with at(passed + timedelta(hours=27)):
        assert alerts.sweep(CHECK).raised == 0
    (alert,) = _open()
    assert alert.audience == "oic" and alert.severity == "warning"
    # The facts are those when raised: the second was not yet due.
    assert alert.facts == {"items": [first.pk]} and alert.due_at == passed + timedelta(hours=24)
    with at(passed + timedelta(hours=27)):
        assert CHECK.find(timezone.now(), [case.pk])[case.pk]["items"] == [first.pk, second.pk]
    with at(passed + timedelta(hours=28)):
        passed_on_accept(actor=officer, item=first)
        assert alerts.sweep(CHECK).resolved == 0  # the second still waits
        passed_on_decline(actor=officer, item=second, reason="Same as the first")
        assert alerts.sweep(CHECK).resolved == 1
    assert _open() == []


def test_a_finalised_case_is_not_alerted(officer, case, victim, advocate):
    passed = datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    with at(passed):
        pass_on(case, victim, advocate, occurred_at=passed - timedelta(days=1))
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.FINALISED, outcome_code=OutcomeCode.choices[0][0])
    with at(passed + timedelta(days=2)):
        assert alerts.sweep(CHECK).raised == 0


def test_the_check_costs_the_same_queries_however_many_cases(officer, advocate, django_assert_num_queries):
    passed = datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)

    def cases(n: int) -> None:
        with at(passed):
            for _ in range(n):
                case = CaseFactory(unit=officer.unit, officer=officer)
                pass_on(case, add_victim(case), advocate, occurred_at=passed - timedelta(days=1))

    cases(2)
    with at(passed + timedelta(days=2)), django_assert_num_queries(1):
        assert len(CHECK.find(timezone.now(), None)) == 2
    cases(20)
    with at(passed + timedelta(days=2)), django_assert_num_queries(1):
        assert len(CHECK.find(timezone.now(), None)) == 22
