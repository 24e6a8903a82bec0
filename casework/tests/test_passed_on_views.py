"""The officer's pages and API for incidents passed on by the victim's advocate, and the case page panel."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import PassedOnStatus, ReportedBy
from casework.models import Incident, PassedOnIncident, SupportReferral
from casework.services.passed_on import passed_on_accept, passed_on_decline
from casework.tests.factories import add_victim, pass_on


@pytest.fixture
def victim(case):
    return add_victim(case)


@pytest.fixture
def item(case, victim, advocate):
    return pass_on(case, victim, advocate)


@pytest.fixture
def referred_advocate(officer, advocate, case, victim):
    """The fixture advocate, with the victim referred to her organisation with consent."""
    SupportReferral.objects.create(
        case=case,
        victim=victim,
        service="stalking_advocate",
        referred_on=timezone.localdate(),
        organisation=advocate.organisation,
        consent_to_share=True,
        recorded_by=officer,
    )
    return advocate


# --- The review page ------------------------------------------------------------------------------------


def test_the_list_shows_awaiting_first_with_accept_and_decline(client, officer, case, victim, advocate):
    decided = pass_on(case, victim, advocate, account="An older message, already dealt with.")
    passed_on_decline(actor=officer, item=decided, reason="It is incident 2 already")
    waiting = pass_on(case, victim, advocate)
    client.force_login(officer)
    response = client.get(reverse("casework:passed-on-list", args=[case.pk]))
    assert response.status_code == 200
    page = response.text
    assert page.index(waiting.account) < page.index(decided.account)
    assert "1 to review" in page and "It is incident 2 already" in page
    assert reverse("casework:passed-on-accept", args=[case.pk, waiting.pk]) in page
    assert f'name="decline-{waiting.pk}-reason"' in page and f'name="decline-{decided.pk}-reason"' not in page
    assert AuditEntry.objects.filter(
        object_type="casework.passedonincident", action="consult", object_id="2 records"
    ).exists()


def test_a_registrar_reads_the_list_without_deciding_and_others_get_404(
    client, registrar, stranger, lawyer, referred_advocate, case, item
):
    client.force_login(registrar)
    page = client.get(reverse("casework:passed-on-list", args=[case.pk])).text
    assert item.account in page and "Do not add it" not in page
    assert client.get(reverse("casework:passed-on-accept", args=[case.pk, item.pk])).status_code == 404
    for someone in (stranger, lawyer, referred_advocate):
        client.force_login(someone)
        assert client.get(reverse("casework:passed-on-list", args=[case.pk])).status_code == 404
        assert client.get(reverse("casework:passed-on-accept", args=[case.pk, item.pk])).status_code == 404
        decline = reverse("casework:passed-on-decline", args=[case.pk, item.pk])
        assert client.post(decline, {f"decline-{item.pk}-reason": "No"}).status_code == 404
    assert PassedOnIncident.objects.get(pk=item.pk).status == PassedOnStatus.AWAITING


def test_the_accept_form_is_pre_filled_from_what_was_passed_on(client, officer, case, item):
    client.force_login(officer)
    response = client.get(reverse("casework:passed-on-accept", args=[case.pk, item.pk]))
    assert response.status_code == 200
    page = response.text
    assert f'value="{timezone.localtime(item.occurred_at):%Y-%m-%dT%H:%M}"' in page
    assert '<option value="text" selected>' in page and 'value="3"' in page
    assert item.account in page and 'name="victim"' not in page and 'name="reported_by"' not in page
    assert AuditEntry.objects.filter(object_type="casework.passedonincident", action="consult").exists()


def _accept_data(item, **changes):
    data = {
        "occurred_at": f"{timezone.localtime(item.occurred_at):%Y-%m-%dT%H:%M}",
        "channel": "text",
        "count": "3",
        "place": "victim_work",
        "behaviours": ["contacting"],
        "narrative": item.account,
        "reported_at": "",
        "report_method": "in_person",
    }
    return data | changes


def test_accepting_from_the_form_adds_the_incident_with_the_officers_additions(client, officer, case, victim, item):
    client.force_login(officer)
    url = reverse("casework:passed-on-accept", args=[case.pk, item.pk])
    refused = client.post(url, _accept_data(item, count="0"))
    assert refused.status_code == 400 and "govuk-error-summary" in refused.text
    assert not Incident.objects.exists()
    response = client.post(url, _accept_data(item))
    assert response.status_code == 302 and response["Location"] == reverse("casework:passed-on-list", args=[case.pk])
    incident = Incident.objects.get()
    assert incident.place == "victim_work" and incident.behaviours == ["contacting"] and incident.victim == victim
    assert incident.reported_by == ReportedBy.ADVOCATE and incident.reported_at == item.passed_on_at
    assert PassedOnIncident.objects.get(pk=item.pk).incident == incident
    again = client.post(url, _accept_data(item))
    assert again.status_code == 409 and "already accepted" in again.text
    assert Incident.objects.count() == 1
    followed = client.get(url)
    assert followed.status_code == 302


def test_declining_from_the_list_needs_a_reason_and_happens_once(client, officer, case, item):
    client.force_login(officer)
    url = reverse("casework:passed-on-decline", args=[case.pk, item.pk])
    field = f"decline-{item.pk}-reason"
    refused = client.post(url, {field: ""})
    assert (
        refused.status_code == 400 and "govuk-error-summary" in refused.text and f'href="#id_{field}"' in refused.text
    )
    assert client.post(url, {field: "She told us herself; it is incident 4"}).status_code == 302
    assert PassedOnIncident.objects.get(pk=item.pk).decline_reason == "She told us herself; it is incident 4"
    again = client.post(url, {field: "Again"})
    assert again.status_code == 409 and "already declined" in again.text


# --- The case page panel ----------------------------------------------------------------------------------


def test_the_case_page_counts_what_awaits_review(client, officer, case, victim, advocate, item):
    pass_on(case, victim, advocate)
    client.force_login(officer)
    page = client.get(reverse("casework:case-detail", args=[case.pk])).text
    assert "2 incidents passed on by the advocate to review" in page
    assert reverse("casework:passed-on-list", args=[case.pk]) in page
    for waiting in PassedOnIncident.objects.all():
        passed_on_decline(actor=officer, item=waiting, reason="Already recorded")
    page = client.get(reverse("casework:case-detail", args=[case.pk])).text
    assert "passed on by the advocate to review" not in page


# --- The API ----------------------------------------------------------------------------------------------


def test_the_api_lists_what_was_passed_on_awaiting_first(api, officer, case, victim, advocate):
    first = pass_on(case, victim, advocate)
    second = pass_on(case, victim, advocate)
    passed_on_accept(actor=officer, item=first)
    body = api.as_user(officer).get(reverse("api-case-passed-on", args=[case.pk])).json()
    assert [row["id"] for row in body] == [second.pk, first.pk]
    assert body[1]["status"] == "accepted" and body[1]["incident_id"] is not None
    assert body[0]["passed_on_by"] == advocate.username and body[0]["account"] == second.account


def test_the_api_accepts_with_adjustments_once(api, officer, case, item):
    client = api.as_user(officer)
    url = reverse("api-passed-on-accept", args=[item.pk])
    refused = client.post(url, {"count": 0}, format="json")
    assert refused.status_code == 400 and "count" in refused.json()["errors"]
    response = client.post(url, {"count": 4, "threats": ["kill"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted" and response.json()["decided_by"] == officer.username
    incident = Incident.objects.get(pk=response.json()["incident_id"])
    assert incident.count == 4 and incident.threats == ["kill"] and incident.narrative == item.account
    again = client.post(url, {}, format="json")
    assert again.status_code == 409 and "already accepted" in again.json()["errors"]["non_field_errors"][0]


def test_the_api_declines_with_a_reason(api, officer, case, item):
    client = api.as_user(officer)
    url = reverse("api-passed-on-decline", args=[item.pk])
    assert client.post(url, {}, format="json").status_code == 400
    response = client.post(url, {"reason": "Not in this case's course of conduct"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "Not in this case's course of conduct"
    assert client.post(url, {"reason": "Again"}, format="json").status_code == 409


def test_the_api_answers_404_to_those_who_may_not_decide(
    api, registrar, stranger, lawyer, referred_advocate, case, item
):
    for someone in (registrar, stranger, lawyer, referred_advocate):
        client = api.as_user(someone)
        assert client.post(reverse("api-passed-on-accept", args=[item.pk]), {}, format="json").status_code == 404
        assert (
            client.post(reverse("api-passed-on-decline", args=[item.pk]), {"reason": "x"}, format="json").status_code
            == 404
        )
    for someone in (stranger, lawyer, referred_advocate):
        assert api.as_user(someone).get(reverse("api-case-passed-on", args=[case.pk])).status_code == 404
    assert api.as_user(registrar).get(reverse("api-case-passed-on", args=[case.pk])).status_code == 200
    assert PassedOnIncident.objects.get(pk=item.pk).status == PassedOnStatus.AWAITING
