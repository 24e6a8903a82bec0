"""The prosecutor's API: the user's charging requests, one with its action plan, raising and answering
actions, and the decision; refusals in the one error shape; 404 alike for missing and not yours."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEntry
from casework.tests.factories import CaseFactory
from protocol import choices as c
from protocol.models import ActionItem
from protocol.tests.factories import handover_to, raise_action

LIST = "/api/v1/handovers/"


def test_the_list_is_a_lawyers_queue_or_the_polices_visible_requests(
    client, officer, stranger, lawyer, other_lawyer, case
):
    green = handover_to(case, lawyer)
    red = handover_to(case, lawyer, priority=c.Priority.RED)
    theirs = handover_to(case, other_lawyer)
    raise_action(green)
    client.force_login(lawyer)
    body = client.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [red.pk, green.pk]
    assert body["results"][1]["open_actions"] == 1 and body["results"][1]["case_reference"] == case.reference
    entry = AuditEntry.objects.filter(action="consult", object_type="protocol.handover").latest("id")
    assert entry.detail == f"charging requests ids={red.pk},{green.pk}"
    client.force_login(officer)
    assert {row["id"] for row in client.get(LIST).json()["results"]} == {green.pk, red.pk, theirs.pk}
    client.force_login(stranger)
    assert client.get(LIST).json()["results"] == []


def test_the_lists_query_count_does_not_grow_with_the_requests(client, officer, lawyer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    client.force_login(lawyer)
    raise_action(handover_to(CaseFactory(unit=officer.unit, officer=officer), lawyer))
    one = queries()
    for _ in range(5):
        raise_action(handover_to(CaseFactory(unit=officer.unit, officer=officer), lawyer))
    assert queries() == one


def test_the_detail_carries_the_action_plan_and_is_audited(client, lawyer, other_lawyer, case):
    handover = handover_to(case, lawyer)
    item = raise_action(handover)
    client.force_login(lawyer)
    body = client.get(f"{LIST}{handover.pk}/").json()
    assert body["status"] == "awaiting_decision" and [a["id"] for a in body["action_items"]] == [item.pk]
    entry = AuditEntry.objects.filter(action="consult", object_type="protocol.handover").latest("id")
    assert entry.object_id == str(handover.pk)
    client.force_login(other_lawyer)
    assert client.get(f"{LIST}{handover.pk}/").status_code == 404


def test_the_lawyer_raises_an_action_and_the_officer_answers_it(client, officer, lawyer, case):
    handover = handover_to(case, lawyer)
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    client.force_login(officer)
    refused = client.post(f"{LIST}{handover.pk}/actions/", {"request": "Statement", "due_on": due})
    assert refused.status_code == 400 and "Only the prosecutor" in refused.json()["errors"]["non_field_errors"][0]
    client.force_login(lawyer)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad = client.post(f"{LIST}{handover.pk}/actions/", {"request": "Statement", "due_on": past})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["due_on"]
    created = client.post(f"{LIST}{handover.pk}/actions/", {"request": "Statement", "due_on": due})
    assert created.status_code == 201 and created.json()["due_on"] == due
    action_id = created.json()["id"]
    answer_url = f"/api/v1/cps-actions/{action_id}/answer/"
    assert client.post(answer_url, {"answer": "Taken"}).status_code == 400  # the lawyer may not answer
    client.force_login(officer)
    answered = client.post(answer_url, {"answer": "Taken on 3 June"})
    assert answered.status_code == 200 and answered.json()["answered_by_id"] == officer.pk
    again = client.post(answer_url, {"answer": "Again"})
    assert again.status_code == 409 and again.json()["errors"]["non_field_errors"] == [
        "This action has already been answered"
    ]
    assert ActionItem.objects.get(pk=action_id).answer == "Taken on 3 June"


def test_the_lawyer_decides_once(client, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(lawyer)
    url = f"{LIST}{handover.pk}/decision/"
    missing = client.post(url, {"decision": "charge", "rationale": "Met"}, content_type="application/json")
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"offences_charged", "code_test"}
    body = {"decision": "charge", "code_test": "threshold", "offences_charged": ["pha_s2a"], "rationale": "Remand"}
    decided = client.post(url, body, content_type="application/json")
    assert decided.status_code == 200
    assert decided.json()["status"] == "decided" and decided.json()["offences_charged"] == ["pha_s2a"]
    assert client.post(url, body, content_type="application/json").status_code == 409


def test_the_stranger_and_missing_ids_get_404(client, stranger, lawyer, case):
    handover = handover_to(case, lawyer)
    item = raise_action(handover)
    client.force_login(stranger)
    assert client.get(f"{LIST}{handover.pk}/").status_code == 404
    assert client.post(f"{LIST}{handover.pk}/decision/", {}).status_code == 404
    assert client.post(f"/api/v1/cps-actions/{item.pk}/answer/", {"answer": "x"}).status_code == 404
    client.force_login(lawyer)
    assert client.get(f"{LIST}0/").status_code == 404
