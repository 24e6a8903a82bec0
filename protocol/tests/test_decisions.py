"""The decisions that move a case on (issue 13, ADR 0007): each refused path answers with the reason and
saves nothing, each allowed one moves the case with its decision. Services first, then the API and the page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import Case, TimelineEvent
from config.errors import InvalidInput
from orders.models import RestrainingOrderDecision
from protocol.models import CaseDecision
from protocol.services.decisions import case_charge, case_close_without_charge, case_court_outcome
from protocol.tests.factories import charged_by_cps, restraining_order_of

TODAY = timezone.localdate


def _sought(case, order_type="restraining_conviction") -> dict:
    return {"restraining_order_sought": True, "restraining_order_id": restraining_order_of(case, order_type).pk}


def _nothing_saved(case, stage: str) -> None:
    case.refresh_from_db()
    assert case.stage == stage
    assert not CaseDecision.objects.filter(case=case).exists()
    assert not RestrainingOrderDecision.objects.filter(case=case).exists()


def _set_stage(case, stage: str) -> None:
    Case.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()


# --- The charge ----------------------------------------------------------------------------------------


def test_it_charges_on_the_cps_decision_with_the_restraining_order_sought(officer, lawyer, ready_case):
    handover = charged_by_cps(ready_case, lawyer)
    decision = case_charge(actor=officer, case=ready_case, basis="cps", offences=[], **_sought(ready_case))
    ready_case.refresh_from_db()
    assert ready_case.stage == "charged"
    assert (decision.handover, decision.offences) == (handover, handover.offences_charged)
    at_charge = RestrainingOrderDecision.objects.get(case=ready_case)
    assert (at_charge.moment, at_charge.sought, at_charge.order.order_type) == (
        "charge",
        True,
        "restraining_conviction",
    )
    summaries = list(TimelineEvent.objects.filter(case=ready_case).values_list("summary", flat=True))
    assert any(s.startswith("Charged with Stalking causing serious alarm") for s in summaries)
    assert any("Restraining order at charge: sought" in s for s in summaries)


def test_it_refuses_a_cps_charge_the_cps_has_not_decided(officer, ready_case):
    _set_stage(ready_case, "charging_advice_requested")
    with pytest.raises(InvalidInput) as refused:
        case_charge(actor=officer, case=ready_case, basis="cps", offences=[], **_sought(ready_case))
    assert "The CPS has not decided to charge" in refused.value.errors["basis"][0]
    _nothing_saved(ready_case, "charging_advice_requested")


def test_it_refuses_offences_the_cps_did_not_authorise(officer, lawyer, ready_case):
    charged_by_cps(ready_case, lawyer)
    with pytest.raises(InvalidInput) as refused:
        case_charge(actor=officer, case=ready_case, basis="cps", offences=["pha_s2a"], **_sought(ready_case))
    assert refused.value.errors["offences"][0].startswith("The CPS did not authorise Stalking (PHA 1997 s.2A)")
    _nothing_saved(ready_case, "charging_advice_requested")


@pytest.mark.parametrize(
    ("restraining", "field", "message"),
    [
        ({}, "restraining_order_sought", "Say whether a restraining order is sought at charge"),
        ({"restraining_order_sought": True}, "restraining_order_id", "Choose the restraining order sought"),
        ({"restraining_order_sought": False}, "restraining_order_reason", "Give the reason no restraining order"),
    ],
)
def test_it_refuses_a_charge_without_the_restraining_order_decision(
    officer, lawyer, ready_case, restraining, field, message
):
    charged_by_cps(ready_case, lawyer)
    args = {"restraining_order_sought": None} | restraining
    with pytest.raises(InvalidInput) as refused:
        case_charge(actor=officer, case=ready_case, basis="cps", offences=[], **args)
    assert refused.value.errors[field][0].startswith(message)
    _nothing_saved(ready_case, "charging_advice_requested")


def test_an_order_without_conditions_cannot_be_the_one_sought(officer, lawyer, ready_case):
    charged_by_cps(ready_case, lawyer)
    order = restraining_order_of(ready_case)
    order.conditions.all().delete()
    with pytest.raises(InvalidInput) as refused:
        case_charge(actor=officer, case=ready_case, basis="cps", offences=[], **_sought(ready_case))
    assert refused.value.errors["restraining_order_id"] == [
        "Add the conditions sought to the order first (Protection tab)"
    ]


def test_the_police_may_not_charge_stalking_by_default(officer, ready_case):
    _set_stage(ready_case, "under_investigation")
    with pytest.raises(InvalidInput) as refused:
        case_charge(
            actor=officer, case=ready_case, basis="police", offences=["pha_s2a"], reason="",
            restraining_order_sought=False, restraining_order_reason="She does not want one",
        )  # fmt: skip
    errors = refused.value.errors
    assert errors["offences"][0].startswith("The police may not charge Stalking (PHA 1997 s.2A)")
    assert errors["reason"] == ["Give the reason for the police charging decision (it goes on the MG6)"]
    _nothing_saved(ready_case, "under_investigation")


def test_the_police_charge_an_offence_the_force_lets_them_with_the_reason(officer, ready_case, settings):
    settings.POLICE_MAY_CHARGE_OFFENCES = frozenset({"ro_breach"})
    _set_stage(ready_case, "under_investigation")
    decision = case_charge(
        actor=officer, case=ready_case, basis="police", offences=["ro_breach"],
        reason="Breach admitted in interview; suitable for the magistrates' court",
        restraining_order_sought=False, restraining_order_reason="An order is already in force",
    )  # fmt: skip
    ready_case.refresh_from_db()
    assert (ready_case.stage, decision.basis, decision.handover) == ("charged", "police", None)


def test_a_domestic_abuse_case_goes_to_the_cps_whatever_the_offence(officer, ready_case, settings):
    settings.POLICE_MAY_CHARGE_OFFENCES = frozenset({"ro_breach"})
    Case.objects.filter(pk=ready_case.pk).update(stage="under_investigation", is_domestic_abuse=True)
    ready_case.refresh_from_db()
    with pytest.raises(InvalidInput) as refused:
        case_charge(
            actor=officer, case=ready_case, basis="police", offences=["ro_breach"], reason="Admitted",
            restraining_order_sought=False, restraining_order_reason="In force already",
        )  # fmt: skip
    assert "goes to the CPS" in refused.value.errors["basis"][0]
    _nothing_saved(ready_case, "under_investigation")


# --- No further action, out of court ---------------------------------------------------------------------


def _close(actor, case, **changes):
    fields = {
        "kind": "no_further_action",
        "reason": "She withdrew her support and there is no other evidence",
        "victim_told_on": TODAY(),
        "victim_told_method": "phone",
        "right_to_review_explained": True,
    } | changes
    return case_close_without_charge(actor=actor, case=case, **fields)


def test_only_a_supervisor_closes_a_stalking_case_without_a_charge(officer, supervisor, ready_case):
    with pytest.raises(InvalidInput) as refused:
        _close(officer, ready_case)
    assert "only with a supervisor's agreement" in refused.value.errors["non_field_errors"][0]
    _nothing_saved(ready_case, "reported")
    decision = _close(supervisor, ready_case)
    ready_case.refresh_from_db()
    assert (ready_case.stage, decision.agreed_by) == ("no_further_action", supervisor)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"victim_told_on": None}, "victim_told_on"),
        ({"victim_told_method": ""}, "victim_told_method"),
        ({"right_to_review_explained": False}, "right_to_review_explained"),
    ],
)
def test_no_further_action_is_refused_field_by_field(supervisor, ready_case, change, field):
    with pytest.raises(InvalidInput) as refused:
        _close(supervisor, ready_case, **change)
    assert list(refused.value.errors) == [field]
    _nothing_saved(ready_case, "reported")


def test_an_officer_gives_an_out_of_court_disposal_in_a_standard_case(officer, case):
    from orders.tests.factories import parties

    parties(case)
    _set_stage(case, "under_investigation")
    decision = _close(officer, case, kind="out_of_court", right_to_review_explained=False)
    case.refresh_from_db()
    assert (case.stage, decision.agreed_by) == ("out_of_court", None)


def test_a_high_risk_case_needs_a_supervisor_too(officer, case):
    from orders.tests.factories import parties
    from risk.models import RiskAssessment

    victim, _ = parties(case)
    RiskAssessment.objects.create(
        case=case, victim=victim, assessor=officer, status="completed", grade="high", completed_at=timezone.now()
    )
    with pytest.raises(InvalidInput) as refused:
        _close(officer, case)
    assert "This is a high-risk case" in refused.value.errors["non_field_errors"][0]


# --- The court's outcome ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "order_type", "moment"),
    [("convicted", "restraining_conviction", "conviction"), ("acquitted", "restraining_acquittal", "acquittal")],
)
def test_the_courts_outcome_finalises_with_the_restraining_order_decision(
    officer, lawyer, ready_case, result, order_type, moment
):
    _set_stage(ready_case, "at_court")
    wrong = "restraining_acquittal" if order_type == "restraining_conviction" else "restraining_conviction"
    told = {"victim_told_on": TODAY(), "victim_told_method": "in_person"}
    with pytest.raises(InvalidInput) as refused:
        case_court_outcome(actor=officer, case=ready_case, court_result=result, **told, **_sought(ready_case, wrong))
    assert "restraining_order_id" in refused.value.errors
    _nothing_saved(ready_case, "at_court")
    decision = case_court_outcome(
        actor=officer, case=ready_case, court_result=result, **told, **_sought(ready_case, order_type)
    )
    ready_case.refresh_from_db()
    assert (ready_case.stage, ready_case.outcome_code, decision.court_result) == ("finalised", 1, result)
    assert RestrainingOrderDecision.objects.get(case=ready_case).moment == moment


def test_the_courts_outcome_needs_the_victim_told(officer, ready_case):
    _set_stage(ready_case, "at_court")
    with pytest.raises(InvalidInput) as refused:
        case_court_outcome(
            actor=officer, case=ready_case, court_result="convicted", victim_told_on=None, victim_told_method="",
            restraining_order_sought=False, restraining_order_reason="He is in custody for years",
        )  # fmt: skip
    assert set(refused.value.errors) == {"victim_told_on", "victim_told_method"}
    _nothing_saved(ready_case, "at_court")


# --- Through the API -------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def test_the_api_refuses_with_the_reason_and_records_with_201(api, officer, lawyer, ready_case):
    charged_by_cps(ready_case, lawyer)
    api.force_login(officer)
    url = f"/api/v1/cases/{ready_case.pk}/decisions/"
    refused = api.post(url, {"kind": "charge", "basis": "cps"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "restraining_order_sought": ["Say whether a restraining order is sought at charge"]
    }
    _nothing_saved(ready_case, "charging_advice_requested")
    body = {"kind": "charge", "basis": "cps", **_sought(ready_case)}
    done = api.post(url, body, format="json")
    assert done.status_code == 201, done.json()
    assert (done.json()["case_stage"], done.json()["kind"]) == ("charged", "charge")
    assert [d["kind"] for d in api.get(url).json()] == ["charge"]


def test_the_transitions_api_sends_the_officer_to_the_decision(api, officer, lawyer, ready_case):
    charged_by_cps(ready_case, lawyer)
    api.force_login(officer)
    moved = api.post(
        f"/api/v1/cases/{ready_case.pk}/transitions/", {"version": ready_case.version, "to_stage": "charged"}
    )
    assert moved.status_code == 400
    assert "only when the decision is recorded: record the charge" in moved.json()["errors"]["to_stage"][0]
    _nothing_saved(ready_case, "charging_advice_requested")


def test_the_stranger_gets_404(api, stranger, ready_case):
    api.force_login(stranger)
    assert api.post(f"/api/v1/cases/{ready_case.pk}/decisions/", {"kind": "charge"}).status_code == 404


# --- The page --------------------------------------------------------------------------------------------


def test_the_page_refuses_with_an_error_summary_then_charges(client, officer, lawyer, ready_case):
    charged_by_cps(ready_case, lawyer)
    client.force_login(officer)
    url = reverse("protocol:case-decisions", args=[ready_case.pk])
    page = client.get(url).content.decode()
    assert "Record the charge" in page and "The CPS decided to charge" in page
    refused = client.post(url, {"decision": "charge", "charge-basis": "cps", "charge-restraining_order_sought": "yes"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "There is a problem" in body and "Choose the restraining order sought" in body
    _nothing_saved(ready_case, "charging_advice_requested")
    order = restraining_order_of(ready_case)
    done = client.post(
        url,
        {"decision": "charge", "charge-basis": "cps", "charge-restraining_order_sought": "yes",
         "charge-restraining_order_id": order.pk},
    )  # fmt: skip
    assert done.status_code == 302
    ready_case.refresh_from_db()
    assert ready_case.stage == "charged"


def test_the_case_page_offers_the_charge_only_through_the_decision(client, officer, lawyer, ready_case):
    charged_by_cps(ready_case, lawyer)
    client.force_login(officer)
    page = client.get(reverse("casework:case-detail", args=[ready_case.pk])).content.decode()
    decisions = reverse("protocol:case-decisions", args=[ready_case.pk])
    assert f'<a class="govuk-link" href="{decisions}">Charged</a>' in page
    assert 'value="charged"' not in page  # not a radio of the generic form
    refused = client.post(
        reverse("casework:case-stage", args=[ready_case.pk]), {"version": ready_case.version, "to_stage": "charged"}
    )
    assert refused.status_code == 400 and "record the charge" in refused.content.decode()
