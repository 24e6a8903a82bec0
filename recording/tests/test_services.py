from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import TimelineEvent
from casework.services.incidents import IncidentInput, incident_record
from casework.services.people import party_add, person_create
from config.errors import InvalidInput
from recording import selectors
from recording.models import CrimeRecord, Reclassification
from recording.services import (
    CountingRuleWarnings,
    crime_record_create,
    crime_record_reclassify,
    recording_review_decide,
)


@pytest.fixture
def stalked_case(officer, case):
    """Followed from the gym, then messaged on Facebook under another name (the inspection's example)."""
    victim = person_create(actor=officer, first_name="Amy", last_name="Lee")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="stranger")
    now = timezone.now()
    for days_ago, channel, behaviours in [
        (20, "loitering", ["following"]),
        (15, "social_media", ["contacting", "monitoring"]),
        (10, "social_media", ["contacting"]),
        (3, "loitering", ["following", "watching"]),
    ]:
        incident_record(
            actor=officer,
            case=case,
            data=IncidentInput(
                occurred_at=now - timedelta(days=days_ago), channel=channel, behaviours=behaviours, victim_id=victim.pk
            ),
        )
    return case


def test_recording_harassment_where_the_pattern_is_stalking_warns_until_a_reason_is_given(officer, stalked_case):
    with pytest.raises(CountingRuleWarnings) as refused:
        crime_record_create(actor=officer, case=stalked_case, offence="pha_1997_s2", rationale="Unwanted messages")
    assert any(w["code"] == "looks_like_stalking" for w in refused.value.extra["warnings"])
    assert not CrimeRecord.objects.exists()
    record = crime_record_create(
        actor=officer,
        case=stalked_case,
        offence="pha_1997_s2",
        rationale="Unwanted messages",
        override_reason="Victim's account still being taken; will review",
    )
    stalked_case.refresh_from_db()
    assert record.classification == "8L" and stalked_case.is_harassment and stalked_case.stage == "recorded"
    assert AuditEntry.objects.filter(object_type="recording.crimerecord", action="collect").exists()


def test_the_queue_lists_stalking_recorded_as_harassment_and_reclassifying_removes_it(officer, registrar, stalked_case):
    crime_record_create(
        actor=officer, case=stalked_case, offence="pha_1997_s2", rationale="Messages", override_reason="Keep for now"
    )
    (entry,) = selectors.audit_queue(registrar)
    assert entry.case == stalked_case and entry.strength >= 4
    recording_review_decide(
        actor=registrar, case=stalked_case, decision="reclassify", reason="Following and monitoring: stalking"
    )
    assert selectors.audit_queue(registrar) == []
    record = CrimeRecord.objects.get()
    assert (record.classification, record.offence) == ("8Q", "pha_1997_s2a")
    assert Reclassification.objects.get().old_classification == "8L"
    stalked_case.refresh_from_db()
    assert stalked_case.is_stalking and not stalked_case.is_harassment
    summaries = list(
        TimelineEvent.objects.filter(case=stalked_case, kind="recording").values_list("summary", flat=True)
    )
    assert any(s.startswith("Reclassified 8L → 8Q") for s in summaries)


def test_a_case_decided_not_stalking_returns_only_when_the_indication_grows(officer, registrar, stalked_case):
    crime_record_create(actor=officer, case=stalked_case, offence="pha_1997_s2", rationale="x", override_reason="y")
    recording_review_decide(actor=registrar, case=stalked_case, decision="not_stalking", reason="Dispute over a debt")
    assert selectors.audit_queue(registrar) == []
    victim_id = stalked_case.parties.get(role="victim").person_id
    incident_record(
        actor=officer,
        case=stalked_case,
        data=IncidentInput(
            occurred_at=timezone.now() - timedelta(hours=2),
            channel="tracking",
            behaviours=["monitoring"],
            impacts=["moved_home"],
            victim_id=victim_id,
        ),
    )
    assert [e.case for e in selectors.audit_queue(registrar)] == [stalked_case]


def test_an_officer_cannot_decide_on_the_audit_queue(officer, stalked_case):
    with pytest.raises(InvalidInput, match="crime registrar or a supervisor"):
        recording_review_decide(actor=officer, case=stalked_case, decision="agree", reason="fine")


def test_a_stale_reclassification_is_refused(officer, supervisor, stalked_case):
    from config.errors import EditConflict

    record = crime_record_create(actor=officer, case=stalked_case, offence="pha_1997_s2a", rationale="Stalking")
    crime_record_reclassify(
        actor=supervisor,
        record=record,
        expected_version=1,
        offence="pha_1997_s4a",
        reason="Fear",
        override_reason="Fear",
    )
    with pytest.raises(EditConflict):
        crime_record_reclassify(actor=officer, record=record, expected_version=1, offence="pha_1997_s2", reason="x")


def test_statistics_count_harassment_and_stalking_by_month(officer, registrar, stalked_case):
    crime_record_create(actor=officer, case=stalked_case, offence="pha_1997_s2a", rationale="Stalking")
    (month,) = selectors.recording_statistics(registrar, since=timezone.localdate() - timedelta(days=40))
    assert (month.harassment, month.stalking, month.ratio) == (0, 1, 0.0)


def test_outcomes_are_counted_by_month_and_type(officer, supervisor, registrar, stalked_case):
    from casework.services.cases import case_transition
    from protocol.services.decisions import case_close_without_charge

    case_close_without_charge(
        actor=supervisor, case=stalked_case, kind="no_further_action", reason="She does not support a prosecution",
        victim_told_on=timezone.localdate(), victim_told_method="phone", right_to_review_explained=True,
    )  # fmt: skip
    stalked_case.refresh_from_db()
    case_transition(actor=officer, case=stalked_case, to_stage="finalised", expected_version=2, outcome_code=16)
    (month,) = selectors.outcome_statistics(registrar, since=timezone.localdate() - timedelta(days=40))
    assert month.counts == {16: 1}


def test_statistics_can_be_narrowed_to_a_unit(officer, registrar, stalked_case):
    crime_record_create(actor=officer, case=stalked_case, offence="pha_1997_s2a", rationale="Stalking")
    since = timezone.localdate() - timedelta(days=40)
    assert selectors.recording_statistics(registrar, since=since, unit=stalked_case.unit.code)[0].stalking == 1
    assert selectors.recording_statistics(registrar, since=since, unit="another-unit") == []
    assert [u.code for u in selectors.statistics_units(registrar)] == [stalked_case.unit.code]
