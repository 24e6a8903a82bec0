import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from casework.choices import AlertKind, CaseStage, OutcomeCode
from casework.dashboard import dashboard_figures
from casework.tests.factories import AlertFactory, CaseFactory

DASHBOARD = reverse("casework:dashboard")
API = reverse("api-dashboard")


@pytest.fixture
def unit_cases(officer, supervisor, stranger):
    """A unit's worth of cases and alerts, with the traps a careless count falls into: a finalised
    case with flags, alerts snoozed, resolved, not yet due and without a due time, another unit."""
    now = timezone.now()
    second = UserFactory(username="officer2", role=Role.OFFICER, unit=officer.unit, first_name="Tom", last_name="Ng")
    stalking = CaseFactory(unit=officer.unit, officer=officer, stage=CaseStage.UNDER_INVESTIGATION, is_stalking=True)
    harassment = CaseFactory(unit=officer.unit, officer=officer, stage=CaseStage.REPORTED, is_harassment=True)
    both = CaseFactory(
        unit=officer.unit, officer=second, stage=CaseStage.REPORTED, is_stalking=True, is_domestic_abuse=True
    )
    CaseFactory(unit=officer.unit, officer=second, stage=CaseStage.CHARGED, is_repeat_victim=True)
    finalised = CaseFactory(
        unit=officer.unit,
        officer=officer,
        stage=CaseStage.FINALISED,
        outcome_code=OutcomeCode.choices[0][0],
        is_stalking=True,
    )
    elsewhere = CaseFactory(unit=stranger.unit, officer=stranger, stage=CaseStage.REPORTED, is_stalking=True)
    past, future = now - timedelta(days=1), now + timedelta(days=1)
    AlertFactory(case=stalking, kind=AlertKind.EVIDENCE_DEADLINE, due_at=past)
    AlertFactory(case=harassment, kind=AlertKind.EVIDENCE_DEADLINE, due_at=past)
    AlertFactory(case=both, kind=AlertKind.EVIDENCE_DEADLINE, due_at=future)
    AlertFactory(case=both, kind=AlertKind.VICTIM_NEVER_CONTACTED, due_at=past)
    AlertFactory(case=stalking, kind=AlertKind.VICTIM_NEVER_CONTACTED, due_at=past, snoozed_until=future)
    AlertFactory(case=harassment, kind=AlertKind.VICTIM_NEVER_CONTACTED, due_at=past, resolved_at=now)
    AlertFactory(case=harassment, kind=AlertKind.STALKING_RECORDED_AS_HARASSMENT)
    AlertFactory(case=finalised, kind=AlertKind.NO_CRIME_RECORD, due_at=past)
    AlertFactory(case=elsewhere, kind=AlertKind.EVIDENCE_DEADLINE, due_at=past)
    return {"second": second}


def figure(figures, name, label):
    return next(f for f in figures[name] if f.label == label)


def count_on(client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200, link
    match = re.search(r"(\d+) (?:case|alert)s?\s*</caption>", response.text)
    rows = response.text.count('<tr class="govuk-table__row app-alert-row"')
    if "/alerts/" in link:
        assert rows == int(match.group(1)), link
    return int(match.group(1))


def test_it_counts_the_open_cases_and_overdue_alerts_of_the_unit(supervisor, unit_cases):
    figures = dashboard_figures(supervisor)
    assert figure(figures, "cases_by_stage", "Reported").count == 2
    assert figure(figures, "cases_by_stage", "Under investigation").count == 1
    assert "Finalised" not in {f.label for f in figures["cases_by_stage"]}
    assert figure(figures, "cases_by_flag", "Stalking").count == 2  # not the finalised one nor another unit's
    evidence = figure(figures, "overdue_alerts", "Evidence deadline approaching or missed")
    assert evidence.count == 2  # not the one due tomorrow, nor another unit's
    assert figure(figures, "overdue_alerts", "Victim not contacted since the report").count == 1  # not snoozed
    assert figure(figures, "overdue_alerts", "Course of conduct with no crime recorded").count == 1
    workload = {f.label: f.count for f in figures["officer_open_cases"]}
    assert workload == {"Priya Shah": 2, "Tom Ng": 2}


def test_every_figure_equals_the_count_on_the_list_it_links_to(client, supervisor, unit_cases):
    client.force_login(supervisor)
    figures = dashboard_figures(supervisor)
    checked = 0
    for rows in figures.values():
        for f in rows:
            assert count_on(client, f.link) == f.count, (f.label, f.link)
            checked += 1
    assert checked == 8 + 5 + len(AlertKind) + 2 + 2


def test_the_page_shows_the_figures_each_as_its_link(client, supervisor, unit_cases):
    client.force_login(supervisor)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    text = response.text
    for name, rows in dashboard_figures(supervisor).items():
        for f in rows:
            shown = f'href="{f.link.replace("&", "&amp;")}">{f.count}<' in text
            # Rows at zero are left out (the workload table keeps each officer's pair of figures).
            assert shown is (f.count > 0 or name.startswith("officer_")), (f.label, f.count)
    assert "Officer workload" in text and "Tom Ng" in text


def test_the_stage_chart_is_an_accessible_svg_without_inline_styles(client, supervisor, unit_cases):
    client.force_login(supervisor)
    text = client.get(DASHBOARD).text
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert 'role="img"' in svg and '<title id="stage-chart-title">Open cases by stage</title>' in svg
    stages_with_cases = [f for f in dashboard_figures(supervisor)["cases_by_stage"] if f.count]
    assert svg.count('class="app-rhythm-chart__bar"') == len(stages_with_cases) == 3
    # Drawn at its own size (width = the viewBox's), so the 16 px labels of the stylesheet are 16 px on screen.
    assert 'width="480" height="' in svg and 'viewBox="0 0 480 ' in svg
    assert "style=" not in text
    assert 'id="cases-by-stage"' in text  # the table beside it is the text alternative


def test_a_registrar_sees_the_whole_force(client, registrar, stranger, unit_cases):
    stranger.unit.force = registrar.unit.force
    stranger.unit.save()
    client.force_login(registrar)
    assert client.get(DASHBOARD).status_code == 200
    assert figure(dashboard_figures(registrar), "cases_by_flag", "Stalking").count == 3
    for f in dashboard_figures(registrar)["overdue_alerts"]:
        assert count_on(client, f.link) == f.count


@pytest.mark.parametrize("role", ["officer", "stranger", "lawyer", "advocate"])
def test_other_roles_get_404(client, cast, role):
    client.force_login(cast[role])
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(API).status_code == 404


def test_the_api_gives_the_same_figures_with_their_links(client, supervisor, unit_cases):
    client.force_login(supervisor)
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    figures = dashboard_figures(supervisor)
    assert data.keys() == figures.keys() | {"sections", "needs_attention"}
    assert data["needs_attention"] == [
        {"label": "Alerts overdue or urgent", "count": 4, "link": "/alerts/?state=open&overdue=1"}
    ]
    for name, rows in figures.items():
        assert data[name] == [{"label": f.label, "count": f.count, "link": f.link} for f in rows]


def test_the_api_needs_a_signed_in_user(client):
    assert client.get(API).status_code == 401


def test_the_nav_offers_the_dashboard_only_to_supervising_roles(client, officer, supervisor, registrar):
    for user, shown in ((officer, False), (supervisor, True), (registrar, True)):
        client.force_login(user)
        text = client.get(reverse("casework:case-list")).text
        assert (f'href="{DASHBOARD}">Dashboard</a>' in text) is shown, user.username
        assert f'href="{reverse("casework:alert-list")}">Alerts</a>' in text


def test_two_apps_cannot_register_dashboard_lists_under_one_name():
    from casework.dashboard import FigureList, register_lists, registered_list

    taken = registered_list("orders-expiring")
    impostor = FigureList(
        "orders-expiring", "Something else", ("row", "rows"), taken.rows, (), lambda row: (), lambda row: ""
    )
    with pytest.raises(ValueError, match="Two dashboard lists are called 'orders-expiring'"):
        register_lists(impostor)
    register_lists(taken)  # registering the same list again changes nothing
    assert registered_list("orders-expiring") is taken


def test_an_urgent_alert_with_no_due_time_is_counted_and_listed_first(client, officer, supervisor, unit_cases):
    case = CaseFactory(unit=officer.unit, officer=officer, stage=CaseStage.REPORTED)
    urgent = AlertFactory(case=case, kind=AlertKind.ESCALATION_ROSE, severity="urgent", due_at=None)
    other = CaseFactory(unit=officer.unit, officer=officer, stage=CaseStage.REPORTED)
    AlertFactory(case=other, kind=AlertKind.ESCALATION_ROSE, severity="warning", due_at=None)  # not urgent: not counted
    figures = dashboard_figures(supervisor)
    assert figure(figures, "overdue_alerts", AlertKind.ESCALATION_ROSE.label).count == 1
    client.force_login(supervisor)
    listed = client.get(figure(figures, "overdue_alerts", AlertKind.ESCALATION_ROSE.label).link)
    assert listed.status_code == 200 and ">Now</strong>" in listed.text
    everything = client.get(reverse("casework:alert-list")).context["rows"]
    assert everything[0]["alert"] == urgent  # before the alerts long overdue


def test_the_dashboard_starts_with_what_needs_attention_today(client, officer, supervisor, unit_cases):
    from risk.models import EscalationSnapshot

    critical = CaseFactory(unit=officer.unit, officer=officer, stage=CaseStage.UNDER_INVESTIGATION)
    EscalationSnapshot.objects.create(case=critical, level="critical", score=20, computed_at=timezone.now())
    AlertFactory(case=critical, kind=AlertKind.HIGH_RISK_NOT_SIGNED_OFF, audience="supervisor", due_at=None)
    client.force_login(supervisor)
    text = client.get(DASHBOARD).text
    attention = text[text.index('id="needs-attention"') : text.index("</table>", text.index('id="needs-attention"'))]
    assert text.index('id="needs-attention"') < text.index('id="cases-by-stage"')
    rows = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*<td[^>]*><a [^>]*>(\d+)<', attention)
    assert rows == [("Critical escalation", "1"), ("Alerts overdue or urgent", "4"), ("Awaiting your decision", "1")]
    awaiting = re.search(r'href="([^"]+)">1<span class="govuk-visually-hidden"> number: Awaiting', attention)
    listed = client.get(awaiting.group(1).replace("&amp;", "&")).context["rows"]
    assert [row["alert"].kind for row in listed] == [AlertKind.HIGH_RISK_NOT_SIGNED_OFF]


def test_with_nothing_to_do_it_says_so_and_shows_no_zeros(client, supervisor):
    client.force_login(supervisor)
    text = client.get(DASHBOARD).text
    assert "Nothing needs attention today" in text and "No open cases." in text
    assert ">0<" not in text and "<svg" not in text
