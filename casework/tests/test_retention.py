"""Retention review (MoPI): the policy table, the review date set on finalising, the registrar's queue and
retaining a case. Disposal is tested in test_retention_dispose.py."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import CaseStage, OutcomeCode, RetentionGroup, Threat
from casework.models import Case, RetentionDecision, TimelineEvent
from casework.retention import RetentionFacts, retention_group, review_date
from casework.services.cases import case_transition
from casework.services.retention import retention_retain
from casework.tests.factories import CaseFactory, IncidentFactory
from config.errors import InvalidInput, TransitionNotAllowed

G = RetentionGroup

# --- The policy table (pure, no database) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "group"),
    [
        (RetentionFacts(), G.OTHER),
        (RetentionFacts(offences=frozenset({"pha_1997_s2a"})), G.OTHER),
        (RetentionFacts(offences=frozenset({"pha_1997_s4a"})), G.SERIOUS),
        (RetentionFacts(offences=frozenset({"oapa_1861_s16"})), G.SERIOUS),
        (RetentionFacts(threatened_to_kill=True), G.SERIOUS),
        (RetentionFacts(weapon=True), G.SERIOUS),
        (RetentionFacts(high_risk=True), G.SERIOUS),
        (RetentionFacts(public_protection=True), G.PUBLIC_PROTECTION),
        (RetentionFacts(public_protection=True, offences=frozenset({"pha_1997_s4a"})), G.PUBLIC_PROTECTION),
    ],
)
def test_it_chooses_the_most_serious_group_that_applies(facts, group):
    chosen, reason = retention_group(facts)
    assert chosen == group
    assert reason


def test_it_explains_a_serious_group_by_the_offence():
    _, reason = retention_group(RetentionFacts(offences=frozenset({"pha_1997_s4a", "pha_1997_s2"})))
    assert "s.4A" in reason


def test_it_reviews_after_the_configured_years(settings):
    settings.RETENTION_REVIEW_YEARS_PUBLIC_PROTECTION = 12
    settings.RETENTION_REVIEW_YEARS_SERIOUS = 10
    settings.RETENTION_REVIEW_YEARS_OTHER = 6
    assert review_date(G.OTHER, date(2026, 3, 1)) == date(2032, 3, 1)
    assert review_date(G.SERIOUS, date(2026, 3, 1)) == date(2036, 3, 1)
    assert review_date(G.PUBLIC_PROTECTION, date(2026, 3, 1)) == date(2038, 3, 1)


def test_a_case_finalised_on_29_february_is_reviewed_on_28_february():
    assert review_date(G.OTHER, date(2028, 2, 29)) == date(2034, 2, 28)


# --- Finalising sets the group and date ----------------------------------------------------------


def close_without_charge(case, officer):
    """No further action, recorded as the rules ask (protocol.services.decisions): a supervisor of the unit
    agrees in a stalking or high-risk case."""
    from accounts.choices import Role
    from accounts.tests.factories import UserFactory
    from protocol.services.decisions import case_close_without_charge, needs_supervisor

    actor = UserFactory(unit=case.unit, role=Role.SUPERVISOR) if needs_supervisor(case) else officer
    case_close_without_charge(
        actor=actor,
        case=case,
        kind="no_further_action",
        reason="Formal action is not in the public interest",
        victim_told_on=timezone.localdate(),
        victim_told_method="phone",
        right_to_review_explained=True,
    )
    case.refresh_from_db()


def finalise(case, officer):
    close_without_charge(case, officer)
    case_transition(
        actor=officer,
        case=case,
        to_stage=CaseStage.FINALISED,
        expected_version=case.version,
        outcome_code=OutcomeCode.POLICE_PUBLIC_INTEREST,
    )
    case.refresh_from_db()
    return case


def make_due(case, days_ago: int = 1):
    Case.objects.filter(pk=case.pk).update(retention_review_on=timezone.localdate() - timedelta(days=days_ago))
    case.refresh_from_db()
    return case


def test_finalising_sets_the_group_and_review_date(case, officer):
    assert case.retention_group == "" and case.retention_review_on is None
    finalise(case, officer)
    assert case.retention_group == G.OTHER
    assert case.retention_review_on == review_date(G.OTHER, timezone.localdate())


def test_a_threat_to_kill_makes_a_finalised_case_serious(case, officer):
    IncidentFactory(case=case, threats=[Threat.KILL])
    finalise(case, officer)
    assert case.retention_group == G.SERIOUS


def test_a_recorded_s4a_stalking_makes_a_finalised_case_serious(case, officer):
    from recording.models import CrimeRecord

    CrimeRecord.objects.create(
        case=case,
        crime_number="C/1",
        classification="8Q",
        offence="pha_1997_s4a",
        rationale="Fear of violence",
        recorded_by=officer,
        recorded_at=timezone.now(),
    )
    finalise(case, officer)
    assert case.retention_group == G.SERIOUS


def test_moving_to_another_stage_sets_no_review_date(case, officer):
    close_without_charge(case, officer)
    assert case.stage == CaseStage.NO_FURTHER_ACTION and case.retention_review_on is None


# --- The queue -----------------------------------------------------------------------------------


@pytest.fixture
def due_case(case, officer):
    return make_due(finalise(case, officer))


def test_the_queue_lists_due_cases_oldest_first_for_the_registrar(client, registrar, officer, due_case):
    older = make_due(finalise(CaseFactory(unit=officer.unit, officer=officer), officer), days_ago=30)
    finalise(CaseFactory(unit=officer.unit, officer=officer), officer)  # not yet due
    CaseFactory(unit=officer.unit, officer=officer)  # open
    client.force_login(registrar)
    response = client.get(reverse("casework:retention-queue"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cases"]] == [older.pk, due_case.pk]
    assert AuditEntry.objects.filter(action="consult", detail__startswith="retention review queue").exists()


def test_the_queue_is_the_registrars_own_force_only(registrar, officer, due_case):
    from accounts.choices import Role
    from accounts.tests.factories import ForceFactory, UnitFactory, UserFactory
    from casework.selectors import retention_queue

    other_unit = UnitFactory(force=ForceFactory(code="gmp", name="Greater Manchester Police"))
    other_officer = UserFactory(role=Role.OFFICER, unit=other_unit)
    other = make_due(finalise(CaseFactory(unit=other_unit, officer=other_officer), other_officer))
    assert list(retention_queue(registrar)) == [due_case]
    assert list(retention_queue(UserFactory(role=Role.REGISTRAR, unit=other_unit))) == [other]


@pytest.mark.parametrize("who", ["officer", "supervisor", "stranger", "lawyer", "advocate"])
def test_nobody_else_sees_the_queue_or_the_review_page(client, cast, due_case, who):
    client.force_login(cast[who])
    assert client.get(reverse("casework:retention-queue")).status_code == 404
    assert client.get(reverse("casework:retention-review", args=[due_case.pk])).status_code == 404


def test_the_home_page_counts_the_cases_due(client, registrar, officer, due_case):
    client.force_login(registrar)
    body = client.get("/").content.decode()
    assert "1 case due for retention review" in body
    client.force_login(officer)
    assert "due for retention review" not in client.get("/").content.decode()


# --- Retaining -----------------------------------------------------------------------------------


def test_it_retains_with_a_reason_and_next_date(registrar, due_case):
    next_on = timezone.localdate() + timedelta(days=365)
    decision = retention_retain(
        actor=registrar, case=due_case, reason="Suspect still on licence", next_review_on=next_on
    )
    due_case.refresh_from_db()
    assert due_case.retention_review_on == next_on
    assert decision.decision == "retain" and decision.case_reference == due_case.reference
    assert decision.decided_by == registrar and decision.retention_group == G.OTHER
    assert AuditEntry.objects.filter(
        action="alter", object_type="casework.case", object_id=str(due_case.pk), changes=["retention_review_on"]
    ).exists()
    assert AuditEntry.objects.filter(action="collect", object_type="casework.retentiondecision").exists()
    assert TimelineEvent.objects.filter(case=due_case, summary__startswith="Retention review: retained").exists()


def test_it_moves_a_case_to_public_protection_when_retaining(registrar, due_case):
    next_on = timezone.localdate() + timedelta(days=3000)
    retention_retain(actor=registrar, case=due_case, reason="MAPPA", next_review_on=next_on, public_protection=True)
    due_case.refresh_from_db()
    assert due_case.retention_group == G.PUBLIC_PROTECTION


def test_once_public_protection_a_case_stays_so(registrar, due_case):
    later = timezone.localdate() + timedelta(days=10)
    retention_retain(actor=registrar, case=due_case, reason="MAPPA", next_review_on=later, public_protection=True)
    make_due(due_case)
    decision = retention_retain(actor=registrar, case=due_case, reason="Still managed", next_review_on=later)
    assert decision.retention_group == G.PUBLIC_PROTECTION


def test_it_refuses_retaining_for_anyone_but_the_registrar(cast, due_case):
    for who in ("officer", "supervisor", "stranger"):
        with pytest.raises(InvalidInput):
            retention_retain(
                actor=cast[who], case=due_case, reason="x", next_review_on=timezone.localdate() + timedelta(days=9)
            )
    assert not RetentionDecision.objects.exists()


def test_it_refuses_retaining_a_case_not_finalised_or_not_due(registrar, officer, case):
    later = timezone.localdate() + timedelta(days=9)
    with pytest.raises(TransitionNotAllowed):
        retention_retain(actor=registrar, case=case, reason="x", next_review_on=later)
    finalise(case, officer)
    with pytest.raises(TransitionNotAllowed, match="not due"):
        retention_retain(actor=registrar, case=case, reason="x", next_review_on=later)


@pytest.mark.parametrize(
    ("reason", "days", "field"),
    [
        ("  ", 30, "reason"),
        ("Kept", 0, "next_review_on"),
        ("Kept", -5, "next_review_on"),
        ("Kept", 7 * 366, "next_review_on"),
    ],
)
def test_it_refuses_retaining_without_a_reason_or_a_sane_date(registrar, due_case, reason, days, field):
    with pytest.raises(InvalidInput) as refused:
        retention_retain(
            actor=registrar, case=due_case, reason=reason, next_review_on=timezone.localdate() + timedelta(days=days)
        )
    assert field in refused.value.errors
    assert not RetentionDecision.objects.exists()


# --- The review page and the API -----------------------------------------------------------------


def test_the_review_page_shows_the_summary_and_retains(client, registrar, due_case):
    IncidentFactory(case=due_case)
    client.force_login(registrar)
    url = reverse("casework:retention-review", args=[due_case.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert due_case.reference in body and "1 incident," in body and "Other offences (group 3)" in body
    next_on = timezone.localdate() + timedelta(days=400)
    refused = client.post(url, {"decision": "retain", "reason": "Kept"})
    assert refused.status_code == 400 and "Enter the next review date" in refused.content.decode()
    done = client.post(url, {"decision": "retain", "reason": "Kept", "next_review_on": next_on.isoformat()})
    assert done.status_code == 302
    due_case.refresh_from_db()
    assert due_case.retention_review_on == next_on


def test_the_review_page_puts_a_service_refusal_on_the_form(client, registrar, due_case):
    client.force_login(registrar)
    url = reverse("casework:retention-review", args=[due_case.pk])
    response = client.post(
        url, {"decision": "retain", "reason": "Kept", "next_review_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()


def test_the_review_page_of_an_open_case_is_404(client, registrar, case):
    client.force_login(registrar)
    assert client.get(reverse("casework:retention-review", args=[case.pk])).status_code == 404


def test_the_api_lists_the_queue_and_retains(api, registrar, officer, due_case):
    client = api.as_user(registrar)
    listed = client.get("/api/v1/retention/")
    assert listed.status_code == 200
    assert [row["reference"] for row in listed.json()] == [due_case.reference]
    url = f"/api/v1/retention/cases/{due_case.pk}/"
    refused = client.post(url, {"decision": "retain", "reason": ""}, format="json")
    assert refused.status_code == 400
    next_on = (timezone.localdate() + timedelta(days=60)).isoformat()
    done = client.post(url, {"decision": "retain", "reason": "Kept", "next_review_on": next_on}, format="json")
    assert done.status_code == 201
    assert done.json()["next_review_on"] == next_on and done.json()["decision"] == "retain"
    assert api.as_user(officer).get("/api/v1/retention/").status_code == 404
    assert api.as_user(officer).post(url, {"decision": "retain"}, format="json").status_code == 404
