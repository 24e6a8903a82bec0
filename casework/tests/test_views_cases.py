from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework import choices as c
from casework.models import Case, Incident, TimelineEvent
from casework.services.people import IdentifierInput, party_add, person_create
from casework.summaries import summaries_refresh


def add_person(actor, case, role, first="Anna", last="Jones", relationship="", **kwargs):
    person = person_create(actor=actor, first_name=first, last_name=last, case=case, **kwargs)
    party_add(actor=actor, case=case, person=person, role=role, relationship_to_suspect=relationship)
    return person


def test_it_lists_my_cases_and_my_units_cases(client, officer, supervisor, case):
    from casework.tests.factories import CaseFactory

    other = CaseFactory(unit=officer.unit, officer=supervisor, title="Supervisor's own case")
    client.force_login(officer)
    mine = client.get(reverse("casework:case-list"))
    assert mine.status_code == 200
    assert case.reference in mine.text and other.reference not in mine.text
    unit = client.get(reverse("casework:case-list"), {"scope": "unit", "search": "supervisor"})
    assert other.reference in unit.text and case.reference not in unit.text


def test_the_stranger_sees_no_cases_of_another_unit(client, stranger, case):
    client.force_login(stranger)
    response = client.get(reverse("casework:case-list"), {"scope": "unit"})
    assert case.reference not in response.text


def test_it_opens_a_case(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("casework:case-create"), {"title": "Messages from ex-partner", "flags": ["is_stalking"]}
    )
    case = Case.objects.get(title="Messages from ex-partner")
    assert response.status_code == 302 and response.url == reverse("casework:case-detail", args=[case.pk])
    assert case.is_stalking and not case.is_harassment and case.officer == officer


def test_it_refuses_a_case_without_a_title(client, officer):
    client.force_login(officer)
    response = client.post(reverse("casework:case-create"), {"title": ""})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert not Case.objects.exists()


def test_the_case_page_shows_the_summary_banner_chart_and_timeline(client, officer, case):
    victim = add_person(officer, case, c.PartyRole.VICTIM, relationship=c.Relationship.EX_PARTNER)
    now = timezone.now()
    from casework.services.incidents import IncidentInput, incident_record

    for days, count in ((9, 1), (2, 40)):
        incident_record(
            actor=officer,
            case=case,
            data=IncidentInput(
                occurred_at=now - timedelta(days=days), channel=c.Channel.TEXT, count=count, victim_id=victim.pk
            ),
        )
    client.force_login(officer)
    before = AuditEntry.objects.filter(action="consult").count()
    response = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Course of conduct: 2 occasions (41 contacts) over 8 days" in text
    assert "(PHA 1997 s.7)" in text
    assert text.count('class="app-rhythm-chart__bar"') >= 2
    assert "Domestic abuse" in text
    assert "Risk" in text
    assert "Text message ×40" in text
    assert ' style="' not in text
    assert AuditEntry.objects.filter(action="consult").count() == before + 1


def test_the_timeline_filters_and_pages_with_a_cursor(client, officer, case):
    now = timezone.now()
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            occurred_at=now - timedelta(hours=n),
            kind=c.TimelineKind.INCIDENT,
            summary=f"Entry {n}",
            channel=c.Channel.TEXT,
        )
        for n in range(60)
    )
    TimelineEvent.objects.create(case=case, occurred_at=now, kind=c.TimelineKind.CASE, summary="Case opened")
    client.force_login(officer)
    url = reverse("casework:case-detail", args=[case.pk])
    first = client.get(url, {"kind": "incident"})
    assert "Entry 0" in first.text and "Case opened" not in first.text and "Entry 59" not in first.text
    older = client.get(url + first.context["older_url"].split("#")[0])
    assert "Entry 59" in older.text and "Entry 0<" not in older.text
    bad = client.get(url, {"cursor": "nonsense"})
    assert bad.status_code == 200 and "The cursor is not valid" in bad.text


def _incidents(case, officer, n):
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        Incident(
            case=case,
            occurred_at=now - timedelta(hours=n_),
            reported_at=now,
            channel=c.Channel.TEXT,
            created_by=officer,
            number=n_ + 1,
        )
        for n_ in range(n)
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            occurred_at=i.occurred_at,
            kind=c.TimelineKind.INCIDENT,
            summary="Text",
            source_type="casework.incident",
            source_id=str(i.pk),
        )
        for i in incidents
    )


def _queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200
    return len(queries)


def test_the_case_page_costs_the_same_queries_with_10_or_1000_incidents(client, officer, case):
    from casework.tests.factories import CaseFactory

    add_person(officer, case, c.PartyRole.VICTIM)
    big = CaseFactory(unit=officer.unit, officer=officer)
    add_person(officer, big, c.PartyRole.VICTIM, first="Beth")
    _incidents(case, officer, 10)
    _incidents(big, officer, 1000)
    for each in (case, big):  # what the refresher does after every change
        summaries_refresh(each.pk)
    client.force_login(officer)
    _queries(client, case)  # warm caches (content types, session)
    assert _queries(client, case) == _queries(client, big)


@pytest.mark.parametrize("name", ["case-detail", "case-edit", "case-stage", "case-reassign"])
def test_the_stranger_gets_404(client, stranger, case, name):
    client.force_login(stranger)
    assert client.get(reverse(f"casework:{name}", args=[case.pk])).status_code == 404
    if name != "case-detail":
        assert client.post(reverse(f"casework:{name}", args=[case.pk]), {}).status_code == 404


def test_only_a_supervisor_may_reassign(client, officer, supervisor, case):
    client.force_login(officer)
    assert client.get(reverse("casework:case-reassign", args=[case.pk])).status_code == 404
    client.force_login(supervisor)
    response = client.post(
        reverse("casework:case-reassign", args=[case.pk]),
        {"version": case.version, "officer": supervisor.pk, "reason": "Officer on leave"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.officer == supervisor


def test_it_edits_a_case_and_answers_409_when_someone_else_saved_first(client, officer, case):
    client.force_login(officer)
    url = reverse("casework:case-edit", args=[case.pk])
    assert client.get(url).status_code == 200
    ok = client.post(url, {"version": case.version, "title": "New title", "flags": ["is_harassment"]})
    assert ok.status_code == 302
    stale = client.post(url, {"version": case.version, "title": "Stale title"})
    assert stale.status_code == 409
    assert "Someone else changed it" in stale.text and "New title" in stale.text
    case.refresh_from_db()
    assert case.title == "New title" and case.is_harassment
    assert f'name="version" value="{case.version}"' in stale.text


def test_it_moves_the_stage_and_refuses_a_move_the_lifecycle_forbids(client, officer, case):
    Case.objects.filter(pk=case.pk).update(stage=c.CaseStage.RECORDED)
    client.force_login(officer)
    url = reverse("casework:case-stage", args=[case.pk])
    assert client.post(url, {"version": case.version, "to_stage": c.CaseStage.UNDER_INVESTIGATION}).status_code == 302
    case.refresh_from_db()
    assert case.stage == c.CaseStage.UNDER_INVESTIGATION
    refused = client.post(url, {"version": case.version, "to_stage": c.CaseStage.FINALISED})
    assert refused.status_code == 400  # not one of the choices offered
    case.refresh_from_db()
    assert case.stage == c.CaseStage.UNDER_INVESTIGATION


def test_finalising_needs_the_decision_recorded_first(client, officer, case):
    Case.objects.filter(pk=case.pk).update(stage=c.CaseStage.NO_FURTHER_ACTION)
    client.force_login(officer)
    url = reverse("casework:case-stage", args=[case.pk])
    response = client.post(url, {"version": case.version, "to_stage": c.CaseStage.FINALISED, "outcome_code": 16})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "the victim told on the Decisions page" in response.text
    case.refresh_from_db()
    assert case.stage == c.CaseStage.NO_FURTHER_ACTION


def test_the_home_page_lists_my_cases_and_offers_to_open_one(client, officer, case):
    client.force_login(officer)
    response = client.get(reverse("home"))
    assert case.reference in response.text
    assert "Open a new case" in response.text
    assert 'href="/cases/"' in response.text  # the Cases navigation item


def test_a_lawyer_and_an_advocate_go_home_to_their_own_lists(client, lawyer, advocate):
    client.force_login(lawyer)
    assert client.get(reverse("home")).url == reverse("protocol:cps-queue")
    client.force_login(advocate)
    assert client.get(reverse("home")).url == reverse("casework:care-list")


def test_identifiers_helper_is_used(officer, case):
    # Guard for the helper above: identifiers are created with the person.
    person = add_person(
        officer,
        case,
        c.PartyRole.SUSPECT,
        first="Mark",
        last="Reeve",
        identifiers=[IdentifierInput(kind="phone", value="07700 900456")],
    )
    assert person.identifiers.count() == 1


def test_the_case_list_pages_with_govuk_pagination(client, officer):
    from casework.tests.factories import CaseFactory

    for _ in range(55):
        CaseFactory(unit=officer.unit, officer=officer)
    client.force_login(officer)
    first = client.get("/cases/?scope=unit").text
    assert 'aria-label="Pages of cases"' in first and "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/cases/?scope=unit&page=2").text
    assert "Page 2 of 2" in second and 'rel="prev"' in second
