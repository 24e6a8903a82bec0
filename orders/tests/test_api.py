from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from casework.services.people import party_add, person_create
from orders.models import Breach, BreachProposal
from risk.models import RiskAssessment

TODAY = timezone.localdate


@pytest.fixture
def api():
    """Logs in with a session, as the casework API tests do, so the audit names the actor."""
    client = APIClient()

    def as_user(user):
        client.force_login(user)
        return client

    client.as_user = as_user
    return client


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim", relationship_to_suspect="ex_partner")
    return person


@pytest.fixture
def suspect(officer, case):
    person = person_create(actor=officer, first_name="John", last_name="Roe")
    party_add(actor=officer, case=case, person=person, role="suspect")
    return person


def _consulted(object_type: str, user) -> bool:
    return AuditEntry.objects.filter(action="consult", object_type=object_type, actor=user).exists()


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def _consider(api, case, suspect, victim, order_type="restraining_conviction"):
    body = {"order_type": order_type, "respondent_id": suspect.pk, "protected_ids": [victim.pk], "court": "Leeds MC"}
    return _ok(api.post(f"/api/v1/cases/{case.pk}/orders/", body, format="json"), 201)


def _no_contact(api, order_id, victim, **extra):
    body = {"kind": "no_contact", "rationale": "He texts her daily", "protected_ids": [victim.pk]} | extra
    return _ok(api.post(f"/api/v1/orders/{order_id}/conditions/", body, format="json"), 201)


def _act(api, order, action, **fields):
    url = f"/api/v1/orders/{order['id']}/actions/"
    return api.post(url, {"action": action, "version": order["version"]} | fields, format="json")


def _in_force(api, case, suspect, victim, days_ago=10):
    """A restraining order with a no-contact condition, in force since `days_ago`."""
    order = _consider(api, case, suspect, victim)
    _no_contact(api, order["id"], victim, consultation="supports", consulted_on=str(TODAY()), victim_view="Yes")
    on = str(TODAY() - timedelta(days=days_ago))
    order = _ok(_act(api, order, "draft"))
    order = _ok(_act(api, order, "apply", on=on))
    order = _ok(_act(api, order, "grant", on=on, until_further_order=True))
    return _ok(_act(api, order, "serve", on=on))


# --- Orders ----------------------------------------------------------------------------------------


def test_it_lists_a_cases_orders_with_their_conditions_and_audits_the_read(api, officer, case, suspect, victim):
    api.as_user(officer)
    order = _consider(api, case, suspect, victim)
    assert order["status"] == "considered" and order["allowed_actions"] == ["draft", "not_pursue"]
    condition = _no_contact(api, order["id"], victim)
    assert condition["wording"].startswith("Not to contact Jane Doe") and "text" in condition["channels"]
    (listed,) = _ok(api.get(f"/api/v1/cases/{case.pk}/orders/"))
    assert listed["protected_ids"] == [victim.pk] and listed["respondent_id"] == suspect.pk
    assert listed["conditions"][0]["id"] == condition["id"]
    assert listed["conditions"][0]["consultation"] == "not_consulted"
    assert _consulted("orders.protectiveorder", officer)


def test_an_spo_goes_from_considered_to_in_force_and_the_respondent_notifies(api, officer, case, suspect, victim):
    api.as_user(officer)
    order = _consider(api, case, suspect, victim, order_type="spo")
    condition = _no_contact(api, order["id"], victim)
    order = _ok(_act(api, order, "draft"))
    refused = _act(api, order, "apply")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"grounds_acts", "grounds_risk", "grounds_necessity", "consultation"}
    grounds = {"version": order["version"], "grounds_acts": "Texts, waiting outside work",
               "grounds_risk": "Escalating", "grounds_necessity": "Bail has ended"}  # fmt: skip
    order = _ok(api.patch(f"/api/v1/orders/{order['id']}/", grounds, format="json"))
    assert order["court"] == "Leeds MC" and order["grounds_risk"] == "Escalating"
    stale = api.patch(f"/api/v1/orders/{order['id']}/", grounds, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["version"] == order["version"]
    consulted = _ok(api.post(
        f"/api/v1/orders/{order['id']}/conditions/{condition['id']}/consultation/",
        {"consultation": "supports", "consulted_on": str(TODAY()), "victim_view": "She wants it"}, format="json",
    ))  # fmt: skip
    assert consulted["consultation"] == "supports"
    order = _ok(_act(api, order, "apply"))
    short = _act(api, order, "grant", duration_value=1, duration_unit="years")
    assert "at least 2 years" in short.json()["errors"]["duration_value"][0]
    order = _ok(_act(api, order, "grant", until_further_order=True))
    order = _ok(_act(api, order, "serve"))
    assert order["status"] == "in_force" and order["notification_due_on"] == str(TODAY() + timedelta(days=3))
    order = _ok(api.post(f"/api/v1/orders/{order['id']}/actions/", {"action": "respondent_notified"}, format="json"))
    assert order["respondent_notified_on"] == str(TODAY())
    detail = _ok(api.get(f"/api/v1/orders/{order['id']}/"))
    assert detail["status"] == "in_force" and detail["conditions"][0]["victim_view"] == "She wants it"
    assert AuditEntry.objects.filter(action="consult", object_id=str(order["id"]), actor=officer).exists()


def test_a_grant_before_the_application_is_refused_with_409(api, officer, case, suspect, victim):
    api.as_user(officer)
    order = _consider(api, case, suspect, victim)
    response = _act(api, order, "grant", until_further_order=True)
    assert response.status_code == 409
    assert "only after it has been applied for" in response.json()["errors"]["action"][0]
    missing_version = api.post(f"/api/v1/orders/{order['id']}/actions/", {"action": "draft"}, format="json")
    assert missing_version.status_code == 400 and "version" in missing_version.json()["errors"]


def test_a_follow_on_order_must_follow_an_order_of_the_same_case(api, officer, case, suspect, victim):
    api.as_user(officer)
    body = {"order_type": "spo", "respondent_id": suspect.pk, "protected_ids": [victim.pk], "follows_id": 0}
    response = api.post(f"/api/v1/cases/{case.pk}/orders/", body, format="json")
    assert response.status_code == 400 and "follows_id" in response.json()["errors"]
    interim = _consider(api, case, suspect, victim, order_type="interim_spo")
    full = _ok(api.post(f"/api/v1/cases/{case.pk}/orders/", body | {"follows_id": interim["id"]}, format="json"), 201)
    assert full["follows_id"] == interim["id"]


# --- Breaches --------------------------------------------------------------------------------------


def test_a_text_while_a_no_contact_order_is_in_force_is_proposed_then_confirmed(
    api, officer, case, suspect, victim, django_capture_on_commit_callbacks
):
    api.as_user(officer)
    order = _in_force(api, case, suspect, victim)
    text = {"occurred_at": (timezone.now() - timedelta(days=2)).isoformat(), "channel": "text",
            "victim_id": victim.pk, "narrative": "'You can't hide'"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _ok(api.post(f"/api/v1/cases/{case.pk}/incidents/", text, format="json"), 201)
    proposals = _ok(api.get(f"/api/v1/cases/{case.pk}/breach-proposals/"))
    (proposal,) = proposals["pending"]
    assert proposals["decided"] == [] and proposal["order_id"] == order["id"]
    assert proposal["reason"].startswith("contact by text message")
    assert _consulted("orders.breachproposal", officer)

    url = f"/api/v1/breach-proposals/{proposal['id']}/actions/"
    confirmed = _ok(api.post(url, {"action": "confirm"}, format="json"))
    assert confirmed["status"] == "confirmed" and confirmed["breach_id"]
    again = api.post(url, {"action": "confirm"}, format="json")
    assert again.status_code == 409

    substantive = f"/api/v1/breaches/{confirmed['breach_id']}/substantive/"
    bare = api.post(substantive, {"decision": "breach_only"}, format="json")
    assert bare.status_code == 400 and "note" in bare.json()["errors"]
    decided = _ok(api.post(substantive, {"decision": "further_offence"}, format="json"))
    assert decided["substantive_decision"] == "further_offence"
    (breach,) = _ok(api.get(f"/api/v1/orders/{order['id']}/breaches/"))
    assert breach["incident"]["narrative"] == "'You can't hide'" and breach["recorded_by"] == "officer"
    assert _consulted("orders.breach", officer)


def test_a_proposal_is_rejected_only_with_a_reason(api, officer, case, suspect, victim):
    from casework.tests.factories import IncidentFactory
    from orders.services import breach_proposals_refresh

    api.as_user(officer)
    _in_force(api, case, suspect, victim)
    IncidentFactory(case=case, victim=victim, channel="email", occurred_at=timezone.now() - timedelta(days=1))
    breach_proposals_refresh(case.pk)
    proposal = BreachProposal.objects.get(case=case)
    url = f"/api/v1/breach-proposals/{proposal.pk}/actions/"
    bare = api.post(url, {"action": "reject"}, format="json")
    assert bare.status_code == 400 and bare.json()["errors"] == {"reason": ["Say why this is not a breach"]}
    rejected = _ok(api.post(url, {"action": "reject", "reason": "Her reply to his solicitor"}, format="json"))
    assert rejected["status"] == "rejected" and rejected["decided_by"] == "officer"
    listed = _ok(api.get(f"/api/v1/cases/{case.pk}/breach-proposals/"))
    assert listed["pending"] == [] and listed["decided"][0]["rejection_reason"] == "Her reply to his solicitor"


def test_a_breach_is_logged_against_the_order_with_its_incident(api, officer, case, suspect, victim):
    api.as_user(officer)
    order = _in_force(api, case, suspect, victim)
    condition_id = order["conditions"][0]["id"]
    url = f"/api/v1/orders/{order['id']}/breaches/"
    incident = {"occurred_at": (timezone.now() - timedelta(days=1)).isoformat(), "channel": "in_person",
                "victim_id": victim.pk, "place": "victim_home"}  # fmt: skip
    breach = _ok(api.post(url, {"condition_id": condition_id, "incident": incident}, format="json"), 201)
    assert breach["condition_id"] == condition_id and breach["incident"]["id"]
    assert Breach.objects.get(pk=breach["id"]).incident.channel == "in_person"

    before = incident | {"occurred_at": (timezone.now() - timedelta(days=30)).isoformat()}
    outside = api.post(url, {"incident": before}, format="json")
    assert outside.status_code == 400 and "this is outside it" in outside.json()["errors"]["occurred_at"][0]
    malformed = api.post(url, {"incident": incident | {"count": "many"}}, format="json")
    assert malformed.status_code == 400 and malformed.json()["errors"] == {"count": ["Give a whole number"]}
    wrong_condition = api.post(url, {"condition_id": 0, "incident": incident}, format="json")
    assert wrong_condition.status_code == 400 and "condition_id" in wrong_condition.json()["errors"]
    assert Breach.objects.count() == 1


# --- Bail and the route to court -------------------------------------------------------------------


def test_a_voluntary_interview_in_a_high_risk_stalking_case_needs_a_reason_and_a_supervisor(
    api, officer, supervisor, case, suspect, victim
):
    case.is_stalking = True
    case.save(update_fields=["is_stalking"])
    RiskAssessment.objects.create(
        case=case, victim=victim, assessor=officer, status="completed", grade="high", completed_at=timezone.now()
    )
    url = f"/api/v1/cases/{case.pk}/bail/"
    body = {"suspect_id": suspect.pk, "route": "voluntary_interview", "occurred_on": str(TODAY())}
    refused = api.as_user(officer).post(url, body, format="json")
    assert refused.status_code == 400 and "Give your reason" in refused.json()["errors"]["unprotected_reason"][0]
    route = _ok(api.post(url, body | {"unprotected_reason": "He attended by appointment"}, format="json"), 201)
    assert route["needs_review"] and route["review_status"] == "awaiting"

    action = f"/api/v1/bail/{route['id']}/actions/"
    by_officer = api.post(action, {"action": "review", "note": "Fine"}, format="json")
    assert by_officer.status_code == 400 and "Only a supervisor" in by_officer.json()["errors"]["non_field_errors"][0]
    bare = api.as_user(supervisor).post(action, {"action": "review"}, format="json")
    assert bare.status_code == 400 and "note" in bare.json()["errors"]
    reviewed = _ok(api.post(action, {"action": "review", "note": "Agreed; consider an SPO"}, format="json"))
    assert reviewed["review_status"] == "reviewed" and reviewed["reviewed_by"] == "supervisor"


def test_bail_is_extended_within_the_authoritys_limit_given_conditions_and_ended(api, officer, case, suspect, victim):
    api.as_user(officer)
    start = TODAY() - timedelta(days=7)
    body = {"suspect_id": suspect.pk, "route": "pre_charge_bail", "occurred_on": str(start),
            "bail_end": str(start + timedelta(days=60)), "bail_authority": "custody_officer"}  # fmt: skip
    route = _ok(api.post(f"/api/v1/cases/{case.pk}/bail/", body, format="json"), 201)
    action = f"/api/v1/bail/{route['id']}/actions/"
    too_far = {"action": "extend", "new_end": str(start + timedelta(days=150)), "authority": "custody_officer"}
    refused = api.post(action, too_far, format="json")
    assert (
        refused.status_code == 400
        and "a longer period needs a higher authority" in refused.json()["errors"]["new_end"][0]
    )
    route = _ok(api.post(action, too_far | {"authority": "inspector"}, format="json"))
    assert route["bail_end"] == too_far["new_end"] and route["extensions"][0]["authority"] == "inspector"
    route = _ok(api.post(action, {"action": "add_condition", "kind": "no_contact", "rationale": "Texts",
                                  "protected_ids": [victim.pk]}, format="json"))  # fmt: skip
    assert route["conditions"][0]["kind"] == "no_contact"
    no_reason = api.post(action, {"action": "end"}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    route = _ok(api.post(action, {"action": "end", "reason": "Charged and remanded"}, format="json"))
    assert route["bail_ended_on"] == str(TODAY())
    ended = api.post(action, {"action": "extend", "new_end": str(TODAY() + timedelta(days=200))}, format="json")
    assert ended.status_code == 409
    (listed,) = _ok(api.get(f"/api/v1/cases/{case.pk}/bail/"))
    assert listed["id"] == route["id"] and len(listed["conditions"]) == 1
    assert _consulted("orders.suspectroute", officer)


def test_a_breach_of_bail_is_logged_against_the_bail_and_its_condition(api, officer, case, suspect, victim):
    api.as_user(officer)
    start = TODAY() - timedelta(days=10)
    body = {"suspect_id": suspect.pk, "route": "pre_charge_bail", "occurred_on": str(start),
            "bail_end": str(start + timedelta(days=60)), "bail_authority": "custody_officer"}  # fmt: skip
    route = _ok(api.post(f"/api/v1/cases/{case.pk}/bail/", body, format="json"), 201)
    route = _ok(api.post(f"/api/v1/bail/{route['id']}/actions/", {"action": "add_condition", "kind": "no_contact",
                "rationale": "Texts", "protected_ids": [victim.pk]}, format="json"))  # fmt: skip
    condition_id = route["conditions"][0]["id"]
    url = f"/api/v1/bail/{route['id']}/breaches/"
    incident = {"occurred_at": (timezone.now() - timedelta(days=1)).isoformat(), "channel": "text",
                "victim_id": victim.pk}  # fmt: skip
    breach = _ok(api.post(url, {"condition_id": condition_id, "incident": incident}, format="json"), 201)
    logged = Breach.objects.select_related("incident").get(pk=breach["id"])
    assert logged.bail_id == route["id"] and logged.order_id is None and logged.condition_id == condition_id
    assert logged.incident.channel == "text"

    before_bail = incident | {"occurred_at": (timezone.now() - timedelta(days=20)).isoformat()}
    outside = api.post(url, {"incident": before_bail}, format="json")
    assert outside.status_code == 400 and "this is outside it" in outside.json()["errors"]["occurred_at"][0]
    wrong_condition = api.post(url, {"condition_id": 0, "incident": incident}, format="json")
    assert wrong_condition.json()["errors"] == {"condition_id": ["Choose a condition of this bail"]}
    (listed,) = _ok(api.get(url))
    assert listed["id"] == breach["id"] and _consulted("orders.breach", officer)

    arrest = _ok(api.post(f"/api/v1/cases/{case.pk}/bail/", {"suspect_id": suspect.pk, "route": "arrest",
                 "occurred_on": str(TODAY())}, format="json"), 201)  # fmt: skip
    assert api.get(f"/api/v1/bail/{arrest['id']}/breaches/").status_code == 404  # no bail to breach
    assert Breach.objects.count() == 1


# --- Search warrants and eligibility ---------------------------------------------------------------


def test_a_search_warrant_is_applied_for_decided_and_executed(api, officer, case):
    api.as_user(officer)
    url = f"/api/v1/cases/{case.pk}/search-warrants/"
    body = {"premises": "12 Acacia Avenue", "grounds": "s.2A; phones and notebooks", "court": "Leeds MC"}
    not_stalking = api.post(url, body, format="json")
    assert not_stalking.status_code == 400 and "case" in not_stalking.json()["errors"]
    case.is_stalking = True
    case.save(update_fields=["is_stalking"])
    warrant = _ok(api.post(url, body, format="json"), 201)
    action = f"/api/v1/search-warrants/{warrant['id']}/actions/"
    early = api.post(action, {"action": "execute", "officers": "PC 123"}, format="json")
    assert early.status_code == 409
    bare_refusal = api.post(action, {"action": "decide", "granted": False}, format="json")
    assert bare_refusal.status_code == 400 and "reason" in bare_refusal.json()["errors"]
    assert _ok(api.post(action, {"action": "decide", "granted": True}, format="json"))["status"] == "granted"
    done = _ok(api.post(action, {"action": "execute", "officers": "PC 123", "seized": "Two phones"}, format="json"))
    assert done["status"] == "executed" and done["seized"] == "Two phones"
    (listed,) = _ok(api.get(url))
    assert listed["premises"] == "12 Acacia Avenue"
    assert _consulted("orders.searchwarrant", officer)


def test_the_eligibility_hints_name_the_spo_for_stalking_and_mark_one_in_progress(api, officer, case, suspect, victim):
    case.is_stalking = True
    case.save(update_fields=["is_stalking"])
    url = f"/api/v1/cases/{case.pk}/order-eligibility/"
    hints = {h["order_type"]: h for h in _ok(api.as_user(officer).get(url))}
    assert "interim_spo" in hints and not hints["interim_spo"]["already"]
    assert "Stalking Protection Act 2019" in hints["interim_spo"]["why"]
    _consider(api, case, suspect, victim, order_type="interim_spo")
    assert {h["order_type"]: h for h in _ok(api.get(url))}["interim_spo"]["already"]
    assert AuditEntry.objects.filter(action="consult", object_id=str(case.pk), detail="order eligibility").exists()


# --- Access ----------------------------------------------------------------------------------------


def test_the_stranger_gets_404_for_every_record_of_the_case(api, officer, stranger, case, suspect, victim):
    api.as_user(officer)
    order = _in_force(api, case, suspect, victim)
    condition_id = order["conditions"][0]["id"]
    arrest = {"suspect_id": suspect.pk, "route": "arrest", "occurred_on": str(TODAY())}
    route = _ok(api.post(f"/api/v1/cases/{case.pk}/bail/", arrest, format="json"), 201)
    api.as_user(stranger)
    for url in [f"/api/v1/cases/{case.pk}/orders/", f"/api/v1/orders/{order['id']}/",
                f"/api/v1/orders/{order['id']}/breaches/", f"/api/v1/cases/{case.pk}/bail/",
                f"/api/v1/cases/{case.pk}/breach-proposals/", f"/api/v1/cases/{case.pk}/search-warrants/",
                f"/api/v1/cases/{case.pk}/order-eligibility/"]:  # fmt: skip
        assert api.get(url).status_code == 404, url
    for url in [f"/api/v1/orders/{order['id']}/actions/", f"/api/v1/orders/{order['id']}/conditions/",
                f"/api/v1/orders/{order['id']}/conditions/{condition_id}/consultation/",
                f"/api/v1/bail/{route['id']}/actions/", f"/api/v1/bail/{route['id']}/breaches/"]:  # fmt: skip
        response = api.post(url, {}, format="json")
        assert response.status_code == 404 and response.json() == {"errors": {"detail": ["Not found."]}}, url
    assert api.get(f"/api/v1/orders/{order['id'] + 1000}/").status_code == 404


def test_a_registrar_may_read_protection_but_not_change_it(api, officer, registrar, case, suspect, victim):
    order = _consider(api.as_user(officer), case, suspect, victim)
    api.as_user(registrar)
    assert _ok(api.get(f"/api/v1/orders/{order['id']}/"))["id"] == order["id"]
    assert api.patch(f"/api/v1/orders/{order['id']}/", {"version": 1}, format="json").status_code == 404
    assert _act(api, order, "draft").status_code == 404
    for url in ["orders/", "bail/", "search-warrants/"]:
        assert api.post(f"/api/v1/cases/{case.pk}/{url}", {}, format="json").status_code == 404
