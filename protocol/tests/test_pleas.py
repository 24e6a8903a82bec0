"""Plea decisions after a charge (protocol §8 item 5; domain.md §12 item 13): the prosecutor accepts or
rejects a plea to a lesser offence, always with a rationale; accepting harassment where stalking was
charged needs the senior prosecutor's approval and the victim and the police consulted. Through the
service, the handover page and the API; nothing is saved on a refusal."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import TimelineKind
from casework.models import TimelineEvent
from casework.tests.factories import CaseFactory
from config.errors import InvalidInput, TransitionNotAllowed
from protocol import choices as c
from protocol.models import PleaDecision
from protocol.services import cps
from protocol.tests.factories import charge, handover_to

CONSULTATION = ("approved_by", "victim_consulted_on", "victim_view", "police_consulted_on", "police_view")


def consulted_on() -> date:
    return timezone.localdate() - timedelta(days=2)


def plea_fields(**overrides) -> dict:
    """Accepting s.2 harassment on the s.4A stalking charge, with every consultation the protocol asks."""
    fields = {
        "offence_charged": c.Offence.PHA_S4A_DISTRESS,
        "offence_pleaded": c.Offence.PHA_S2,
        "accepted": True,
        "rationale": "The distress element rests on one witness who has since emigrated; s.2 reflects the conduct.",
        "approved_by": "Alex Morgan, Deputy Chief Crown Prosecutor",
        "victim_consulted_on": consulted_on(),
        "victim_view": "She accepts it if the restraining order is made.",
        "police_consulted_on": consulted_on(),
        "police_view": "The officer in the case agrees.",
    }
    return fields | overrides


def decide_plea(handover, *, actor=None, **overrides) -> PleaDecision:
    return cps.plea_decide(actor=actor or handover.lawyer, handover=handover, **plea_fields(**overrides))


def charged(case, lawyer, offences=(c.Offence.PHA_S4A_DISTRESS, c.Offence.PHA_S2A)):
    handover = handover_to(case, lawyer)
    return charge(handover, offences_charged=list(offences))


def _charging_timeline(case) -> list[str]:
    events = TimelineEvent.objects.filter(case=case, kind=TimelineKind.CHARGING).order_by("occurred_at", "pk")
    return list(events.values_list("summary", flat=True))


# --- The service ------------------------------------------------------------------------------------


def test_it_records_an_accepted_harassment_plea_on_a_stalking_charge_with_full_consultation(lawyer, case):
    handover = charged(case, lawyer)
    plea = decide_plea(handover)
    plea.refresh_from_db()
    assert plea.handover_id == handover.pk and plea.case_id == case.pk and plea.decided_by_id == lawyer.pk
    assert plea.accepted and plea.harassment_on_stalking and plea.decided_at is not None
    assert plea.approved_by == "Alex Morgan, Deputy Chief Crown Prosecutor"
    assert plea.victim_consulted_on == plea.police_consulted_on == consulted_on()
    assert plea.victim_view.startswith("She accepts") and plea.police_view == "The officer in the case agrees."
    assert _charging_timeline(case)[-1] == (
        "Plea to Harassment (PHA 1997 s.2) accepted on the Stalking causing serious alarm or distress "
        "(PHA 1997 s.4A(1)(b)(ii)) charge, approved by Alex Morgan, Deputy Chief Crown Prosecutor"
    )
    event = TimelineEvent.objects.filter(case=case, kind=TimelineKind.CHARGING).latest("pk")
    assert (event.source_type, event.source_id, event.recorded_by_id) == (
        "protocol.pleadecision",
        str(plea.pk),
        lawyer.pk,
    )
    entry = AuditEntry.objects.get(object_type="protocol.pleadecision", object_id=str(plea.pk))
    assert entry.action == "collect" and {"approved_by", "victim_view", "police_view"} <= set(entry.changes)


def test_a_rejected_plea_needs_only_the_rationale(lawyer, case):
    handover = charged(case, lawyer)
    empty = dict.fromkeys(CONSULTATION, "") | {"victim_consulted_on": None, "police_consulted_on": None}
    plea = decide_plea(handover, accepted=False, offence_pleaded=c.Offence.PHA_S4, **empty)
    assert not plea.accepted and plea.approved_by == "" and plea.victim_consulted_on is None
    assert _charging_timeline(case)[-1] == (
        "Plea to Harassment: putting people in fear of violence (PHA 1997 s.4) rejected on the Stalking causing "
        "serious alarm or distress (PHA 1997 s.4A(1)(b)(ii)) charge"
    )


def test_accepting_a_lesser_plea_on_a_harassment_charge_needs_only_the_rationale(lawyer, case):
    handover = charged(case, lawyer, offences=(c.Offence.PHA_S4,))
    empty = dict.fromkeys(CONSULTATION, "") | {"victim_consulted_on": None, "police_consulted_on": None}
    plea = decide_plea(handover, offence_charged=c.Offence.PHA_S4, offence_pleaded=c.Offence.PHA_S2, **empty)
    assert plea.accepted and not plea.harassment_on_stalking


def test_only_the_lawyer_it_was_sent_to_records_a_plea_decision(officer, supervisor, other_lawyer, lawyer, case):
    handover = charged(case, lawyer)
    handover_to(case, other_lawyer)
    for actor in (officer, supervisor, other_lawyer):
        with pytest.raises(InvalidInput, match="Only the prosecutor"):
            decide_plea(handover, actor=actor)
    assert PleaDecision.objects.count() == 0 and len(_charging_timeline(case)) == 1


@pytest.mark.parametrize(
    "decision", [None, c.Decision.NFA_EVIDENTIAL, c.Decision.OUT_OF_COURT], ids=["awaiting", "nfa", "ooc"]
)
def test_no_plea_decision_is_recorded_without_a_charge(lawyer, case, decision):
    handover = handover_to(case, lawyer)
    if decision:
        charge(handover, decision=decision, code_test="", offences_charged=[])
    with pytest.raises(TransitionNotAllowed, match="once the prosecutor has decided to charge"):
        decide_plea(handover)
    assert PleaDecision.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"offence_charged": "murder"}, "offence_charged", "Choose the offence charged"),
        ({"offence_pleaded": "affray"}, "offence_pleaded", "Choose the offence the plea is offered to"),
        ({"offence_charged": c.Offence.PHA_S4A_FEAR}, "offence_charged", "offences the charging decision authorised"),
        ({"offence_pleaded": c.Offence.PHA_S4A_DISTRESS}, "offence_pleaded", "needs no plea decision"),
        ({"rationale": "  "}, "rationale", "Give the reasons"),
        ({"accepted": False, "rationale": ""}, "rationale", "Give the reasons"),
        ({"approved_by": " "}, "approved_by", "senior prosecutor who approved"),
        ({"victim_consulted_on": None}, "victim_consulted_on", "date the victim was consulted"),
        ({"victim_view": ""}, "victim_view", "the victim's view"),
        ({"police_consulted_on": None}, "police_consulted_on", "date the police were consulted"),
        ({"police_view": "  "}, "police_view", "the police's view"),
        ({"victim_consulted_on": date.today() + timedelta(days=2)}, "victim_consulted_on", "today or earlier"),
        ({"police_consulted_on": date.today() + timedelta(days=2)}, "police_consulted_on", "today or earlier"),
    ],
    ids=[
        "unknown-charged", "unknown-pleaded", "not-charged", "same-offence", "no-rationale", "rejected-no-rationale",
        "no-approver", "victim-date", "victim-view", "police-date", "police-view", "victim-future", "police-future",
    ],
)  # fmt: skip
def test_a_plea_decision_is_refused_without_what_it_needs_and_nothing_is_saved(lawyer, case, overrides, field, message):
    handover = charged(case, lawyer)
    with pytest.raises(InvalidInput) as refused:
        decide_plea(handover, **overrides)
    assert set(refused.value.errors) == {field}
    assert message in refused.value.errors[field][0]
    assert PleaDecision.objects.count() == 0
    assert len(_charging_timeline(case)) == 1  # the charge only
    assert not AuditEntry.objects.filter(object_type="protocol.pleadecision").exists()


@pytest.mark.parametrize("charged_offence", sorted(c.STALKING_OFFENCES))
@pytest.mark.parametrize("pleaded", sorted(c.HARASSMENT_OFFENCES))
def test_every_harassment_plea_on_every_stalking_charge_needs_the_approval_and_both_consultations(
    lawyer, case, charged_offence, pleaded
):
    handover = charged(case, lawyer, offences=(charged_offence,))
    empty = dict.fromkeys(CONSULTATION, "") | {"victim_consulted_on": None, "police_consulted_on": None}
    with pytest.raises(InvalidInput) as refused:
        decide_plea(handover, offence_charged=charged_offence, offence_pleaded=pleaded, **empty)
    assert set(refused.value.errors) == set(CONSULTATION)
    assert PleaDecision.objects.count() == 0


def test_the_database_refuses_an_accepted_harassment_plea_on_stalking_without_consultation(lawyer, case):
    handover = charged(case, lawyer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PleaDecision.objects.create(
            handover=handover, case=case, offence_charged=c.Offence.PHA_S2A, offence_pleaded=c.Offence.PHA_S2,
            accepted=True, rationale="Agreed", decided_by=lawyer, decided_at=timezone.now(),
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        PleaDecision.objects.create(
            handover=handover, case=case, offence_charged=c.Offence.PHA_S2A, offence_pleaded=c.Offence.PHA_S2,
            accepted=False, rationale="", decided_by=lawyer, decided_at=timezone.now(),
        )  # fmt: skip


# --- The handover page ------------------------------------------------------------------------------


def page_of(handover) -> str:
    return reverse("protocol:handover-detail", args=[handover.pk])


def plea_url(handover) -> str:
    return reverse("protocol:handover-plea", args=[handover.pk])


def plea_post(**overrides) -> dict:
    fields = plea_fields()
    data = {f"plea-{name}": value for name, value in fields.items() if name != "accepted"}
    data |= {"plea-accepted": "yes", "plea-victim_consulted_on": fields["victim_consulted_on"].isoformat()}
    data["plea-police_consulted_on"] = fields["police_consulted_on"].isoformat()
    return data | {f"plea-{name}": value for name, value in overrides.items()}


def test_the_lawyer_is_offered_the_plea_form_only_once_the_decision_is_a_charge(client, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(lawyer)
    assert "Record a plea decision" not in client.get(page_of(handover)).content.decode()
    charge(handover, offences_charged=[c.Offence.PHA_S2A])
    page = client.get(page_of(handover)).content.decode()
    assert "Record a plea decision" in page and plea_url(handover) in page
    assert "No plea decision has been recorded." in page
    assert "Required to accept a plea to harassment where stalking was charged" in page
    charged_select = page.split('name="plea-offence_charged"')[1].split("</select>")[0]
    assert 'value="pha_s2a"' in charged_select and 'value="pha_s4a_fear"' not in charged_select


def test_a_refused_plea_form_comes_back_with_its_errors(client, lawyer, case):
    handover = charged(case, lawyer)
    client.force_login(lawyer)
    response = client.post(plea_url(handover), plea_post(**{"approved_by": "", "victim_view": ""}))
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert "Name the senior prosecutor who approved" in page and "Record the victim&#x27;s view of the plea" in page
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(plea_url(handover), plea_post(victim_consulted_on=future))
    assert response.status_code == 400 and "today or earlier" in response.content.decode()
    response = client.post(plea_url(handover), plea_post(offence_charged=c.Offence.PHA_S4A_FEAR))
    assert response.status_code == 400 and "offences the charging decision authorised" in response.content.decode()
    response = client.post(plea_url(handover), plea_post(rationale="", accepted=""))
    page = response.content.decode()
    assert response.status_code == 400 and "Give the reasons for the decision on the plea" in page
    assert "Choose whether the plea is accepted" in page
    assert PleaDecision.objects.count() == 0


def test_the_lawyer_records_a_plea_decision_and_the_police_see_it_without_the_form(client, officer, lawyer, case):
    handover = charged(case, lawyer)
    client.force_login(lawyer)
    response = client.post(plea_url(handover), plea_post())
    assert response.status_code == 302 and response.url == page_of(handover) + "#pleas-title"
    plea = PleaDecision.objects.get(handover=handover)
    assert plea.accepted and plea.approved_by == "Alex Morgan, Deputy Chief Crown Prosecutor"
    client.force_login(officer)
    page = client.get(page_of(handover)).content.decode()
    assert page.count("app-plea-decision") == 1 and "Plea accepted" in page
    assert "Alex Morgan, Deputy Chief Crown Prosecutor" in page and "The officer in the case agrees." in page
    assert "Record a plea decision" not in page and plea_url(handover) not in page
    refused = client.post(plea_url(handover), plea_post())
    assert refused.status_code == 400 and "Only the prosecutor" in refused.content.decode()
    assert PleaDecision.objects.count() == 1


def test_the_stranger_and_another_lawyer_get_404_on_the_plea_form(client, stranger, other_lawyer, lawyer, case):
    handover = charged(case, lawyer)
    handover_to(case, other_lawyer)
    for user in (stranger, other_lawyer):
        client.force_login(user)
        assert client.post(plea_url(handover), plea_post()).status_code == 404
    assert PleaDecision.objects.count() == 0


# --- The API ----------------------------------------------------------------------------------------


def api_url(handover) -> str:
    return f"/api/v1/handovers/{handover.pk}/pleas/"


def api_body(**overrides) -> dict:
    body = plea_fields(**overrides)
    for name in ("victim_consulted_on", "police_consulted_on"):
        body[name] = body[name].isoformat() if body[name] else None
    return body


def test_the_api_records_a_plea_decision_and_the_detail_lists_it(client, lawyer, case):
    handover = charged(case, lawyer)
    client.force_login(lawyer)
    created = client.post(api_url(handover), api_body(), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["offence_charged"] == "pha_s4a_distress" and body["offence_pleaded"] == "pha_s2"
    assert body["accepted"] is True and body["victim_consulted_on"] == consulted_on().isoformat()
    assert body["decided_by_id"] == lawyer.pk and body["handover_id"] == handover.pk
    detail = client.get(f"/api/v1/handovers/{handover.pk}/").json()
    assert [p["id"] for p in detail["plea_decisions"]] == [body["id"]]


def test_the_api_refuses_with_field_errors_and_409_before_a_charge(client, officer, lawyer, case):
    handover = charged(case, lawyer)
    client.force_login(lawyer)
    missing = client.post(
        api_url(handover), api_body(approved_by="", police_consulted_on=None), content_type="application/json"
    )
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"approved_by", "police_consulted_on"}
    shape = client.post(api_url(handover), {"offence_charged": "pha_s2a"}, content_type="application/json")
    assert shape.status_code == 400 and {"offence_pleaded", "accepted", "rationale"} <= set(shape.json()["errors"])
    awaiting = handover_to(case, lawyer)
    assert client.post(api_url(awaiting), api_body(), content_type="application/json").status_code == 409
    client.force_login(officer)
    refused = client.post(api_url(handover), api_body(), content_type="application/json")
    assert refused.status_code == 400 and "Only the prosecutor" in refused.json()["errors"]["non_field_errors"][0]
    assert PleaDecision.objects.count() == 0


def test_another_lawyer_gets_404(client, other_lawyer, lawyer, case):
    handover = charged(case, lawyer)
    handover_to(case, other_lawyer)
    client.force_login(other_lawyer)
    assert client.post(api_url(handover), api_body(), content_type="application/json").status_code == 404
    assert client.get(f"/api/v1/handovers/{handover.pk}/").status_code == 404
    assert PleaDecision.objects.count() == 0


def test_the_lists_query_count_does_not_grow_with_plea_decisions(client, officer, lawyer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/handovers/").status_code == 200
        return len(captured)

    def one_more() -> None:
        decide_plea(charged(CaseFactory(unit=officer.unit, officer=officer), lawyer))

    client.force_login(lawyer)
    one_more()
    one = queries()
    for _ in range(4):
        one_more()
    assert queries() == one
    assert all(len(row["plea_decisions"]) == 1 for row in client.get("/api/v1/handovers/").json()["results"])
