"""Sending a charging request to the CPS: preconditions, the supervisor's override, the grant, the pack,
the stage, the timeline; nothing half-saved on a refusal. The service, the form and the API."""

import pytest
from rest_framework.test import APIClient

from accounts import policy
from accounts.choices import Role
from accounts.models import AuditEntry
from accounts.policy import Action
from accounts.tests.factories import UserFactory
from casework.choices import CaseStage, TimelineKind
from casework.models import Case, CaseDocument, TimelineEvent
from config.errors import InvalidInput
from protocol.models import Handover, HandoverPreparation
from protocol.pack import CHARGING_PACK
from protocol.services.preparation import handover_send
from protocol.tests.factories import make_ready


@pytest.fixture
def ready(case, risk_forms):
    make_ready(case)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.UNDER_INVESTIGATION)
    case.refresh_from_db()
    return case


def _send(actor, case, lawyer, **extra):
    kwargs = {"priority": "green", "note": "Please advise on s.4A."} | extra
    return handover_send(actor=actor, case=case, lawyer=lawyer, **kwargs)


def _nothing_saved(case, lawyer):
    assert not Handover.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not TimelineEvent.objects.filter(case=case, kind=TimelineKind.HANDOVER).exists()
    assert not policy.may(lawyer, Action.VIEW_HANDOVER, case)


def test_a_ready_case_is_sent_the_lawyer_granted_the_pack_requested_the_stage_moved(officer, lawyer, ready):
    handover = _send(officer, ready, lawyer, priority="red")
    assert handover.status == "awaiting_decision" and handover.sent_by == officer and handover.priority == "red"
    assert handover.missing_at_send == [] and handover.override_reason == ""
    assert policy.may(lawyer, Action.VIEW_HANDOVER, ready)
    assert not policy.may(lawyer, Action.VIEW_CASE, ready)
    pack = handover.pack
    assert pack.kind == CHARGING_PACK and pack.source_id == str(handover.pk) and pack.status == "pending"
    ready.refresh_from_db()
    assert ready.stage == CaseStage.CHARGING_ADVICE_REQUESTED
    (event,) = TimelineEvent.objects.filter(case=ready, kind=TimelineKind.HANDOVER)
    assert "Charging request sent" in event.summary and event.source_id == str(handover.pk)
    assert AuditEntry.objects.filter(action="disclose", detail="granted view_handover").exists()


def test_the_stage_stays_where_the_transition_table_does_not_allow_the_move(officer, lawyer, case, risk_forms):
    make_ready(case)
    assert case.stage == CaseStage.REPORTED
    _send(officer, case, lawyer)
    case.refresh_from_db()
    assert case.stage == CaseStage.REPORTED


def test_an_officer_cannot_send_with_blocking_items_missing(officer, lawyer, ready):
    HandoverPreparation.objects.filter(case=ready).update(vps="", headline="")
    with pytest.raises(InvalidInput) as refused:
        _send(officer, ready, lawyer)
    message = refused.value.errors["override_reason"][0]
    assert "Take a Victim Personal Statement" in message and "ask a supervisor" in message
    _nothing_saved(ready, lawyer)


def test_a_supervisor_must_give_a_reason_to_send_with_items_missing(supervisor, lawyer, ready):
    HandoverPreparation.objects.filter(case=ready).update(vps="")
    with pytest.raises(InvalidInput) as refused:
        _send(supervisor, ready, lawyer, override_reason="  ")
    assert "Give the reason" in refused.value.errors["override_reason"][0]
    _nothing_saved(ready, lawyer)


def test_a_supervisor_sends_anyway_and_the_missing_items_are_kept_with_the_reason(supervisor, lawyer, ready):
    HandoverPreparation.objects.filter(case=ready).update(vps="", special_measures="")
    handover = _send(supervisor, ready, lawyer, override_reason="Remand decision needed tonight")
    assert handover.override_reason == "Remand decision needed tonight"
    missing = {item["key"]: item["blocks_handover"] for item in handover.missing_at_send}
    assert missing == {"vps": True, "special_measures": True}
    event = TimelineEvent.objects.get(case=ready, kind=TimelineKind.HANDOVER)
    assert "2 checklist items missing" in event.summary and "Remand decision needed tonight" in event.summary


def test_items_missing_that_do_not_block_are_recorded_without_an_override(officer, lawyer, ready):
    ready.support_referrals.all().delete()
    handover = _send(officer, ready, lawyer, override_reason="ignored")
    assert [i["key"] for i in handover.missing_at_send] == ["support_referral"] and handover.override_reason == ""


@pytest.mark.parametrize("change", [{"special_measures": ""}, {"special_measures_on": None}, {"vps_on": None}])
def test_an_officer_cannot_send_without_the_dated_vps_and_special_measures_decisions(officer, lawyer, ready, change):
    HandoverPreparation.objects.filter(case=ready).update(**change)
    with pytest.raises(InvalidInput) as refused:
        _send(officer, ready, lawyer)
    assert "ask a supervisor to send it anyway" in refused.value.errors["override_reason"][0]
    _nothing_saved(ready, lawyer)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADVOCATE])
def test_it_sends_only_to_an_active_cps_lawyer(officer, lawyer, ready, role):
    other = UserFactory(role=role) if role == Role.ADVOCATE else officer
    with pytest.raises(InvalidInput) as refused:
        _send(officer, ready, other)
    assert "lawyer" in refused.value.errors
    lawyer.is_active = False
    lawyer.save(update_fields=["is_active"])
    with pytest.raises(InvalidInput):
        _send(officer, ready, lawyer)
    _nothing_saved(ready, lawyer)


def test_it_refuses_an_unknown_priority(officer, lawyer, ready):
    with pytest.raises(InvalidInput) as refused:
        _send(officer, ready, lawyer, priority="amber")
    assert "priority" in refused.value.errors
    _nothing_saved(ready, lawyer)


def test_only_police_who_may_edit_and_grant_send(registrar, stranger, lawyer, ready):
    for actor in (registrar, stranger, lawyer):
        with pytest.raises(InvalidInput):
            _send(actor, ready, lawyer)
    _nothing_saved(ready, lawyer)


def test_a_failure_after_the_grant_leaves_nothing_behind(officer, lawyer, ready, monkeypatch):
    import protocol.services.preparation as service

    def broken(**kwargs):
        raise InvalidInput("The pack could not be requested")

    monkeypatch.setattr(service, "document_request", broken)
    with pytest.raises(InvalidInput):
        _send(officer, ready, lawyer)
    _nothing_saved(ready, lawyer)
    ready.refresh_from_db()
    assert ready.stage == CaseStage.UNDER_INVESTIGATION


# ---------------------------------------------------------------- the form on the Handover tab


def test_the_send_form_offers_active_cps_lawyers_and_sends(client, officer, lawyer, ready):
    UserFactory(username="retired-lawyer", role=Role.CPS_LAWYER, is_active=False)
    client.force_login(officer)
    page = client.get(f"/protocol/cases/{ready.pk}/handover/").content.decode()
    assert f'<option value="{lawyer.pk}"' in page and "retired-lawyer" not in page
    response = client.post(
        f"/protocol/cases/{ready.pk}/handover/send/", {"lawyer": lawyer.pk, "priority": "green", "note": "Advise"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#requests")
    handover = Handover.objects.get(case=ready)
    page = client.get(f"/protocol/cases/{ready.pk}/handover/").content.decode()
    assert "Awaiting the CPS decision" in page and f"/documents/{handover.pack_id}/" in page
    assert 'aria-live="polite"' in page


def test_an_officer_sees_what_blocks_and_no_send_form(client, officer, ready):
    HandoverPreparation.objects.filter(case=ready).update(vps="")
    client.force_login(officer)
    page = client.get(f"/protocol/cases/{ready.pk}/handover/").content.decode()
    assert "ask a supervisor to send it" in page and "Send the charging request" not in page
    assert "Send with items missing" not in page


def test_a_supervisor_sends_anyway_from_the_form_with_a_reason(client, supervisor, lawyer, ready):
    HandoverPreparation.objects.filter(case=ready).update(vps="")
    client.force_login(supervisor)
    url = f"/protocol/cases/{ready.pk}/handover/send/"
    page = client.get(f"/protocol/cases/{ready.pk}/handover/").content.decode()
    assert "Send with items missing" in page and 'name="override_reason"' in page
    refused = client.post(url, {"lawyer": lawyer.pk, "priority": "red"})
    assert refused.status_code == 400 and "Give the reason for sending it now" in refused.content.decode()
    assert not Handover.objects.filter(case=ready).exists()
    response = client.post(url, {"lawyer": lawyer.pk, "priority": "red", "override_reason": "Custody clock"})
    assert response.status_code == 302
    assert Handover.objects.get(case=ready).override_reason == "Custody clock"


def test_the_send_form_names_a_missing_lawyer(client, officer, ready):
    client.force_login(officer)
    response = client.post(f"/protocol/cases/{ready.pk}/handover/send/", {"priority": "green"})
    assert response.status_code == 400 and "Choose the CPS lawyer" in response.content.decode()


# ---------------------------------------------------------------- the API


@pytest.fixture
def api():
    client = APIClient()

    def as_user(user):
        client.force_login(user)
        return client

    client.as_user = as_user
    return client


def test_the_api_sends_and_lists_the_cases_requests(api, officer, lawyer, ready):
    api.as_user(officer)
    url = f"/api/v1/cases/{ready.pk}/handovers/"
    response = api.post(url, {"lawyer_id": lawyer.pk, "priority": "green_priority", "note": "Advise"}, format="json")
    assert response.status_code == 201, response.json()
    sent = response.json()
    assert sent["lawyer_id"] == lawyer.pk and sent["pack"]["status"] == "pending" and sent["missing_at_send"] == []
    (listed,) = api.get(url).json()
    assert listed["id"] == sent["id"]
    assert AuditEntry.objects.filter(action="consult", object_type="protocol.handover", actor=officer).exists()


def test_the_api_names_the_refused_field(api, officer, supervisor, lawyer, ready):
    api.as_user(officer)
    url = f"/api/v1/cases/{ready.pk}/handovers/"
    response = api.post(url, {"lawyer_id": officer.pk, "priority": "green"}, format="json")
    assert response.status_code == 400 and "lawyer_id" in response.json()["errors"]
    response = api.post(url, {"lawyer_id": 0, "priority": "green"}, format="json")
    assert response.status_code == 400 and "lawyer_id" in response.json()["errors"]
    HandoverPreparation.objects.filter(case=ready).update(offences=[])
    response = api.post(url, {"lawyer_id": lawyer.pk, "priority": "green"}, format="json")
    assert response.status_code == 400 and "override_reason" in response.json()["errors"]
    api.as_user(supervisor)
    body = {"lawyer_id": lawyer.pk, "priority": "green", "override_reason": "Offences to be advised"}
    assert api.post(url, body, format="json").status_code == 201


def test_the_api_refuses_a_stranger_and_a_lawyer_with_404(api, stranger, lawyer, ready):
    for user in (stranger, lawyer):
        api.as_user(user)
        response = api.post(
            f"/api/v1/cases/{ready.pk}/handovers/", {"lawyer_id": lawyer.pk, "priority": "green"}, format="json"
        )
        assert response.status_code == 404
    assert not Handover.objects.filter(case=ready).exists()
