import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.choices import AlertKind, AlertSeverity
from casework.models import Alert
from casework.tests.factories import AlertFactory, CaseFactory

LIST = reverse("casework:alert-list")


def shown_count(response) -> int:
    return int(re.search(r"(\d+) alerts?\s*</caption>", response.text).group(1))


def ack_url(alert) -> str:
    return reverse("casework:alert-acknowledge", args=[alert.pk])


def snooze_url(alert) -> str:
    return reverse("casework:alert-snooze", args=[alert.pk])


@pytest.fixture
def alerts(officer, supervisor, case):
    now = timezone.now()
    other = CaseFactory(unit=officer.unit, officer=supervisor, reference="SUP-000001")
    return {
        "overdue": AlertFactory(
            case=case, kind=AlertKind.EVIDENCE_DEADLINE, severity=AlertSeverity.URGENT, due_at=now - timedelta(days=2)
        ),
        "due_later": AlertFactory(case=case, kind=AlertKind.NO_CRIME_RECORD, due_at=now + timedelta(days=2)),
        "snoozed": AlertFactory(
            case=case, kind=AlertKind.VICTIM_NEVER_CONTACTED, snoozed_until=now + timedelta(days=1)
        ),
        "resolved": AlertFactory(case=case, kind=AlertKind.VICTIM_UPDATE_OVERDUE, resolved_at=now),
        "supervisors": AlertFactory(case=other, kind=AlertKind.EVIDENCE_DEADLINE, due_at=now - timedelta(days=1)),
    }


def test_it_lists_the_open_alerts_of_the_unit_with_case_kind_severity_and_due(client, officer, case, alerts):
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert shown_count(response) == 3
    text = response.text
    assert f'href="{reverse("casework:case-detail", args=[case.pk])}"' in text
    assert "Evidence deadline approaching or missed" in text
    assert '<strong class="govuk-tag govuk-tag--red">Urgent</strong>' in text
    assert f'id="alert-{alerts["snoozed"].pk}"' not in text and f'id="alert-{alerts["resolved"].pk}"' not in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "snoozed"}, {"snoozed"}),
        ({"state": "resolved"}, {"resolved"}),
        ({"state": "all"}, {"overdue", "due_later", "snoozed", "resolved", "supervisors"}),
        ({"kind": AlertKind.EVIDENCE_DEADLINE}, {"overdue", "supervisors"}),
        ({"mine": "1"}, {"overdue", "due_later"}),
        ({"overdue": "1"}, {"overdue", "supervisors"}),
        ({"overdue": "1", "mine": "1"}, {"overdue"}),
        ({"officer": "supervisor"}, {"supervisors"}),
    ],
)
def test_it_filters_the_list(client, officer, alerts, params, expected):
    client.force_login(officer)
    response = client.get(LIST, params)
    shown = {name for name, alert in alerts.items() if f'id="alert-{alert.pk}"' in response.text}
    assert shown == expected
    assert shown_count(response) == len(expected)


def test_it_filters_by_case(client, officer, case, alerts):
    client.force_login(officer)
    response = client.get(LIST, {"case": case.pk})
    assert shown_count(response) == 2
    assert case.reference in response.text and "SUP-000001" not in response.text


def test_the_stranger_sees_none_of_the_units_alerts(client, stranger, alerts):
    client.force_login(stranger)
    response = client.get(LIST, {"state": "all"})
    assert response.status_code == 200
    assert shown_count(response) == 0


def test_the_stranger_gets_404_acting_on_anothers_alert(client, stranger, alerts):
    client.force_login(stranger)
    alert = alerts["overdue"]
    assert client.post(ack_url(alert), {"reason": "Mine now"}).status_code == 404
    until = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(snooze_url(alert), {"reason": "Later", "until": until}).status_code == 404
    assert client.get(ack_url(alert)).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and alert.snoozed_until is None


def test_it_acknowledges_an_alert_with_a_reason_and_returns_to_the_list(client, officer, alerts):
    client.force_login(officer)
    alert = alerts["overdue"]
    back = f"{LIST}?overdue=1"
    response = client.post(ack_url(alert), {"reason": "CCTV requested from the shop today", "next": back})
    assert response.status_code == 302 and response.url == back
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer and alert.acknowledgement == "CCTV requested from the shop today"
    assert alert.resolved_at is None  # still open until the evidence is secured
    page = client.get(back)
    assert "CCTV requested from the shop today" in page.text


def test_it_refuses_to_acknowledge_without_a_reason(client, officer, alerts):
    client.force_login(officer)
    alert = alerts["overdue"]
    response = client.post(ack_url(alert), {"reason": "  "})
    assert response.status_code == 400
    assert "Give the reason" in response.text
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_it_does_not_follow_a_next_url_off_the_site(client, officer, alerts):
    client.force_login(officer)
    response = client.post(ack_url(alerts["overdue"]), {"reason": "Done", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == LIST


def test_it_snoozes_an_alert_until_a_time_with_a_reason(client, officer, alerts):
    client.force_login(officer)
    alert = alerts["due_later"]
    until = timezone.localtime() + timedelta(days=3)
    response = client.post(
        snooze_url(alert), {"reason": "Awaiting the second statement", "until": until.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.snoozed_until is not None and alert.acknowledgement == "Snoozed: Awaiting the second statement"
    assert f'id="alert-{alert.pk}"' not in client.get(LIST).text
    assert f'id="alert-{alert.pk}"' in client.get(LIST, {"state": "snoozed"}).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Give the reason"),
        ({"reason": "Holiday", "days": 15}, "at most 14 days"),
        ({"reason": "Holiday", "days": -1}, "in the future"),
        ({"reason": "Holiday", "until": ""}, "Say until when to snooze"),
    ],
)
def test_it_refuses_a_snooze_without_a_reason_or_beyond_14_days(client, officer, alerts, data, message):
    client.force_login(officer)
    alert = alerts["due_later"]
    until = (timezone.localtime() + timedelta(days=data.pop("days", 1))).strftime("%Y-%m-%dT%H:%M")
    response = client.post(snooze_url(alert), {"until": until, **data})
    assert response.status_code == 400
    assert message in response.text
    alert.refresh_from_db()
    assert alert.snoozed_until is None


def test_a_registrar_sees_the_alerts_but_gets_no_forms_to_act(client, registrar, alerts):
    client.force_login(registrar)
    response = client.get(LIST)
    assert shown_count(response) == 3
    assert "Acknowledge or snooze" not in response.text


def test_the_badge_counts_open_alerts_on_my_own_cases(client, officer, supervisor, alerts):
    badge = reverse("casework:alert-badge")
    client.force_login(officer)
    assert ">2<" in client.get(badge).text
    client.force_login(supervisor)
    assert ">1<" in client.get(badge).text


def test_the_badge_is_empty_when_signed_out_or_without_alerts(client, lawyer, alerts):
    badge = reverse("casework:alert-badge")
    assert client.get(badge).status_code == 204
    client.force_login(lawyer)
    response = client.get(badge)
    assert response.status_code == 200 and "govuk-tag" not in response.text


def test_the_header_polls_the_badge_for_police_roles_only(client, officer, lawyer):
    client.force_login(officer)
    text = client.get(reverse("home")).text
    assert f'hx-get="{reverse("casework:alert-badge")}"' in text and 'hx-trigger="load, every 60s"' in text
    client.force_login(lawyer)
    assert "hx-get" not in client.get(reverse("home")).text


def test_the_case_page_lists_its_open_alerts_with_a_link_to_act(client, officer, case, alerts):
    client.force_login(officer)
    text = client.get(reverse("casework:case-detail", args=[case.pk])).text
    summary = text[text.index("Alerts</dt>") :]
    summary = summary[: summary.index("</dd>")]
    assert "Evidence deadline approaching or missed" in summary and "(overdue)" in summary
    assert "Course of conduct with no crime recorded" in summary
    assert "Victim not contacted" not in summary  # snoozed
    assert f"{LIST}?case={case.pk}" in summary
    assert "govuk-tag--red" in summary


def test_home_shows_my_alerts_before_my_cases(client, officer, case, alerts):
    client.force_login(officer)
    text = client.get(reverse("home")).text
    assert text.index("My alerts</h2>") < text.index("Your cases</h2>")
    assert "All 2 open alerts on your cases" in text
    assert reverse("casework:dashboard") not in text


def test_home_links_a_supervisor_to_the_dashboard(client, supervisor):
    client.force_login(supervisor)
    text = client.get(reverse("home")).text
    assert f'href="{reverse("casework:dashboard")}"' in text
    assert "No open alerts on your cases" in text


def test_the_list_makes_the_same_number_of_queries_at_n_and_10n_alerts(client, officer, django_assert_num_queries):
    def queries_for(n: int) -> int:
        for _ in range(n):
            AlertFactory(case=CaseFactory(unit=officer.unit, officer=officer))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(officer)
    assert queries_for(2) == queries_for(18)
    assert Alert.objects.count() == 20
