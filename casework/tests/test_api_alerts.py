from datetime import timedelta

from django.utils import timezone

from casework.tests.factories import AlertFactory, CaseFactory


def test_the_list_shows_open_alerts_of_visible_cases_only(api, officer, stranger, case):
    mine = AlertFactory(case=case)
    AlertFactory(case=CaseFactory(unit=stranger.unit, officer=stranger))
    AlertFactory(case=case, kind="victim_update_overdue", resolved_at=timezone.now())
    body = api.as_user(officer).get("/api/v1/alerts/").json()
    assert [a["id"] for a in body["results"]] == [mine.pk]
    assert body["results"][0]["case_reference"] == case.reference
    resolved = api.as_user(officer).get("/api/v1/alerts/?state=resolved").json()
    assert [a["kind"] for a in resolved["results"]] == ["victim_update_overdue"]


def test_acknowledge_and_snooze(api, officer, case):
    alert = AlertFactory(case=case)
    url = f"/api/v1/alerts/{alert.pk}/actions/"
    client = api.as_user(officer)
    assert (
        client.post(url, {"action": "acknowledge", "reason": "On it"}, format="json").json()["acknowledgement"]
        == "On it"
    )
    no_until = client.post(url, {"action": "snooze", "reason": "Away"}, format="json")
    assert no_until.status_code == 400 and no_until.json()["errors"] == {"until": ["Say until when to snooze"]}
    until = (timezone.now() + timedelta(days=1)).isoformat()
    assert client.post(url, {"action": "snooze", "reason": "Away", "until": until}, format="json").status_code == 200
    assert client.get("/api/v1/alerts/").json()["count"] == 0
    assert client.get("/api/v1/alerts/?state=snoozed").json()["count"] == 1


def test_a_strangers_alert_is_404(api, stranger, case):
    alert = AlertFactory(case=case)
    response = api.as_user(stranger).post(
        f"/api/v1/alerts/{alert.pk}/actions/", {"action": "acknowledge", "reason": "x"}
    )
    assert response.status_code == 404
