from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import TimelineEvent
from casework.services.people import party_add, person_create
from config.errors import EditConflict, InvalidInput, TransitionNotAllowed
from risk import services
from risk.questionnaires import builtin_forms_by_kind
from risk.tests.factories import plan_basics


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim", relationship_to_suspect="ex_partner")
    return person


def _answers(kind: str, yes: int) -> dict:
    questions = builtin_forms_by_kind()[kind].questions
    return {q.key: {"answer": "yes" if n < yes else "no"} for n, q in enumerate(questions)}


def _draft(officer, case, victim, kinds=("dash", "stalking_supplementary")):
    return services.risk_assessment_start(actor=officer, case=case, victim=victim, kinds=list(kinds))


def test_the_stalking_question_yes_needs_the_supplementary_questions(officer, case, victim):
    assessment = _draft(officer, case, victim)
    answers = _answers("dash", 27)
    assessment = services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers=answers
    )
    with pytest.raises(InvalidInput) as refused:
        services.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())
    assert "stalking_supplementary" in refused.value.errors
    assert "not answered: 1, 2, 3" in refused.value.errors["stalking_supplementary"][0]


def test_a_high_risk_assessment_needs_a_plan_then_grades_refers_and_sets_the_review(officer, supervisor, case, victim):
    assessment = _draft(officer, case, victim)
    answers = _answers("dash", 15) | _answers("stalking_supplementary", 5)
    answers["dash_8"] = {"answer": "yes"}
    assessment = services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers=answers
    )
    with pytest.raises(InvalidInput) as refused:
        services.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())
    assert "risk_management_plan" in refused.value.errors
    services.risk_plan_action_add(
        actor=officer, assessment=assessment, risk="Following (DASH 8)", action="Target-harden the home",
        owner="PC Shah", due_on=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip
    done = services.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())
    assert (done.grade, done.marac_referral_required) == ("high", True)
    assert done.next_review_due == timezone.localdate() + timedelta(days=7)
    assert TimelineEvent.objects.filter(case=case, kind="risk", summary__contains="high risk").exists()
    with pytest.raises(InvalidInput, match="Only a supervisor"):
        services.risk_assessment_sign_off(actor=officer, assessment=done)


def test_a_supervisor_signs_off_and_the_assessor_cannot(officer, supervisor, case, victim):
    assessment = _draft(officer, case, victim, kinds=("dash",))
    assessment = services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers=_answers("dash", 3)
    )
    done = services.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())
    assert done.grade == "standard"
    signed = services.risk_assessment_sign_off(actor=supervisor, assessment=done)
    assert signed.status == "signed_off" and signed.signed_off_by == supervisor
    assert AuditEntry.objects.filter(object_type="risk.riskassessment", action="alter").exists()


def test_an_sdash_alone_cannot_complete_an_assessment(officer, case, victim):
    assessment = _draft(officer, case, victim, kinds=("sdash",))
    assessment = services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers=_answers("sdash", 2)
    )
    with pytest.raises(InvalidInput) as refused:
        services.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())
    assert "victim_impact" in refused.value.errors or "dash" in refused.value.errors


def test_judgement_may_raise_with_a_rationale_but_never_lower(officer, case, victim):
    assessment = _draft(officer, case, victim, kinds=("dash",))
    assessment = services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers=_answers("dash", 3)
    )
    with pytest.raises(InvalidInput) as refused:
        services.risk_assessment_complete(
            actor=officer, assessment=assessment, expected_version=2, judgement_grade="medium", **plan_basics()
        )
    assert "judgement_grade" in refused.value.errors


def test_a_stale_answer_is_refused(officer, supervisor, case, victim):
    assessment = _draft(officer, case, victim, kinds=("dash",))
    services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers={"dash_1": {"answer": "no"}}
    )
    with pytest.raises(EditConflict):
        services.risk_assessment_answer(
            actor=supervisor, assessment=assessment, expected_version=1, answers={"dash_1": {"answer": "yes"}}
        )


def test_only_victims_of_the_case_are_assessed(officer, case):
    stranger = person_create(actor=officer, first_name="Not", last_name="Here")
    with pytest.raises(InvalidInput):
        services.risk_assessment_start(actor=officer, case=case, victim=stranger, kinds=["dash"])


def test_the_escalation_level_is_kept_when_it_changes_and_a_rise_goes_on_the_timeline(officer, case, victim):
    from casework.models import Incident
    from risk.models import EscalationSnapshot
    from risk.services import escalation_refresh

    assert escalation_refresh(case).level == "none"
    assert escalation_refresh(case) is None  # unchanged: no new snapshot
    now = timezone.now()
    for n, (days_ago, channel, place, threats) in enumerate(
        [(20, "text", "", []), (5, "loitering", "victim_home", ["kill"])], start=1
    ):
        Incident.objects.create(
            case=case, victim=victim, occurred_at=now - timedelta(days=days_ago), reported_at=now, channel=channel,
            place=place, threats=threats, weapon="knife" if threats else "", created_by=officer, number=n,
        )  # fmt: skip
    snapshot = escalation_refresh(case)
    assert snapshot.level == "critical" and any("kill" in r for r in snapshot.reasons)
    assert EscalationSnapshot.objects.filter(case=case).count() == 2
    assert TimelineEvent.objects.filter(case=case, kind="risk", summary__startswith="Escalation rose").exists()


LONDON = ZoneInfo("Europe/London")


@time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=LONDON), tick=False)  # a Tuesday
def test_a_new_incident_brings_the_review_forward_by_working_hours_not_to_now(officer, case, victim, settings):
    from casework import alerts
    from casework.models import Alert
    from casework.services.incidents import IncidentInput, incident_record
    from risk.alert_checks import CHECKS
    from risk.services import escalation_refresh_case

    settings.RISK_REVIEW_BROUGHT_FORWARD_WORKING_HOURS = 24
    (check,) = [check for check in CHECKS if check.kind == "risk_review_overdue"]
    assessment = _draft(officer, case, victim, kinds=("dash",))
    assessment = services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers=_answers("dash", 3)
    )
    done = services.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())
    assert done.next_review_due > timezone.localdate()
    escalation_refresh_case(case.pk)
    done.refresh_from_db()
    assert done.next_review_due > timezone.localdate() and done.review_due_at is None  # nothing new yet

    def log_incident_at(hour: int):
        with time_machine.travel(datetime(2026, 3, 10, hour, 0, tzinfo=LONDON), tick=False):
            incident_record(actor=officer, case=case, data=IncidentInput(occurred_at=timezone.now(), channel="text"))
            escalation_refresh_case(case.pk)
            alerts.sweep(check)  # the same minute as the incident
        done.refresh_from_db()

    log_incident_at(10)
    assert done.review_due_at == datetime(2026, 3, 11, 10, 0, tzinfo=LONDON)  # 24 working hours on
    assert done.next_review_due == date(2026, 3, 11)
    assert not Alert.objects.filter(kind="risk_review_overdue").exists()
    log_incident_at(15)  # a later incident does not push the review further off
    assert done.review_due_at == datetime(2026, 3, 11, 10, 0, tzinfo=LONDON)
    alerts.sweep(check, now=datetime(2026, 3, 11, 9, 59, tzinfo=LONDON))
    assert not Alert.objects.filter(kind="risk_review_overdue").exists()
    alerts.sweep(check, now=datetime(2026, 3, 11, 10, 0, tzinfo=LONDON))
    (alert,) = Alert.objects.filter(kind="risk_review_overdue", resolved_at__isnull=True)
    assert alert.due_at == done.review_due_at


def test_a_plan_action_is_marked_done_once(officer, case, victim):
    assessment = _draft(officer, case, victim, kinds=("dash",))
    action = services.risk_plan_action_add(
        actor=officer, assessment=assessment, risk="Following", action="Alarm fitted", owner="PC Shah",
        due_on=timezone.localdate(),
    )  # fmt: skip
    services.risk_plan_action_done(actor=officer, action=action)
    assert action.status == "done"
    with pytest.raises(TransitionNotAllowed):
        services.risk_plan_action_done(actor=officer, action=action)


def test_potential_escalation_counts_reports_across_the_victims_cases(officer, case, victim):
    from casework.models import Incident
    from casework.services.cases import case_open

    older = case_open(actor=officer, title="Earlier case")
    party_add(actor=officer, case=older, person=victim, role="victim")
    now = timezone.now()
    for n, (c, days_ago) in enumerate([(case, 10), (older, 100), (older, 200), (older, 400)]):
        when = now - timedelta(days=days_ago)
        Incident.objects.create(
            case=c, victim=victim, occurred_at=when, reported_at=when, channel="text", created_by=officer, number=n + 1
        )
    assert services.police_callouts_in_last_year(victim) == 3
    assessment = _draft(officer, case, victim, kinds=("dash",))
    assessment = services.risk_assessment_answer(
        actor=officer, assessment=assessment, expected_version=1, answers=_answers("dash", 3)
    )
    done = services.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())
    assert done.police_callouts_12m == 3
    assert done.marac_referral_required
    assert any(c["name"] == "potential_escalation" and c["met"] for c in done.marac_criteria)
