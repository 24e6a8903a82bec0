from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import Case, TimelineEvent


def test_an_officer_opens_a_case_in_her_unit(api, officer):
    response = api.as_user(officer).post(
        "/api/v1/cases/", {"title": "Messages from ex", "is_stalking": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("WMP-")
    assert body["unit"] == officer.unit.code and body["officer"] == "officer" and body["is_stalking"] is True
    case = Case.objects.get(pk=body["id"])
    assert TimelineEvent.objects.filter(case=case, kind="case").exists()
    assert AuditEntry.objects.filter(object_type="casework.case", object_id=str(case.pk), action="collect").exists()


def test_a_case_without_a_title_is_refused_with_a_field_error(api, officer):
    response = api.as_user(officer).post("/api/v1/cases/", {"title": "  "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"title": ["This field may not be blank."]}}
    assert not Case.objects.exists()


def test_a_lawyer_cannot_open_a_case(api, lawyer):
    response = api.as_user(lawyer).post("/api/v1/cases/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert "Only officers and supervisors" in response.json()["errors"]["non_field_errors"][0]


def test_the_list_shows_only_cases_the_user_may_see_and_is_audited(api, officer, stranger, case):
    from casework.tests.factories import CaseFactory

    CaseFactory(unit=stranger.unit, officer=stranger)
    ids = [c["id"] for c in api.as_user(officer).get("/api/v1/cases/").json()["results"]]
    assert ids == [case.pk]
    entry = AuditEntry.objects.filter(action="consult", object_type="casework.case").last()
    assert entry.actor == officer and f"ids={case.pk}" in entry.detail
    assert api.as_user(stranger).get("/api/v1/cases/").json()["count"] == 1


def test_the_list_filters_by_flag_and_search(api, officer, case):
    from casework.tests.factories import CaseFactory

    other = CaseFactory(unit=officer.unit, officer=officer, title="Neighbour dispute", is_harassment=True)
    client = api.as_user(officer)
    assert [c["id"] for c in client.get("/api/v1/cases/?flag=is_harassment").json()["results"]] == [other.pk]
    assert [c["id"] for c in client.get("/api/v1/cases/?search=neighbour").json()["results"]] == [other.pk]
    assert client.get("/api/v1/cases/?stage=nonsense").status_code == 400


def test_reading_a_case_is_audited_and_a_stranger_gets_404(api, officer, stranger, case):
    assert api.as_user(officer).get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="consult", object_id=str(case.pk), actor=officer).exists()
    response = api.as_user(stranger).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 404
    assert response.json() == {"errors": {"detail": ["Not found."]}}


def test_a_stale_edit_is_refused_with_409_and_the_current_state(api, officer, supervisor, case):
    body = {"title": "First edit", "is_stalking": True, "is_harassment": False, "is_hate": False, "version": 1}
    assert api.as_user(officer).patch(f"/api/v1/cases/{case.pk}/", body, format="json").status_code == 200
    stale = api.as_user(supervisor).patch(f"/api/v1/cases/{case.pk}/", body | {"title": "Second edit"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"] == {"version": 2, "title": "First edit", "stage": "reported"}
    case.refresh_from_db()
    assert case.title == "First edit"


def test_the_lifecycle_refuses_skipped_steps_and_moves_another_service_owns(api, officer, case):
    client = api.as_user(officer)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    skipped = client.post(url, {"version": 1, "to_stage": "charged"}, format="json")
    assert skipped.status_code == 400
    assert skipped.json()["errors"] == {"to_stage": ["A case that is reported cannot move to charged"]}
    owned = client.post(url, {"version": 1, "to_stage": "no_further_action"}, format="json")
    assert owned.status_code == 400
    assert (
        "only when the decision is recorded: record the decision with its reason and the victim told"
        in (owned.json()["errors"]["to_stage"][0])
    )
    case.refresh_from_db()
    assert (case.stage, case.version) == ("reported", 1)


def test_finalising_after_no_further_action_needs_an_outcome_other_than_charged(api, officer, case):
    from protocol.services.decisions import case_close_without_charge

    case_close_without_charge(
        actor=officer, case=case, kind="no_further_action", reason="No evidence he sent the messages",
        victim_told_on=timezone.localdate(), victim_told_method="phone", right_to_review_explained=True,
    )  # fmt: skip
    client = api.as_user(officer)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    no_outcome = client.post(url, {"version": 2, "to_stage": "finalised"}, format="json")
    assert no_outcome.status_code == 400
    assert no_outcome.json()["errors"] == {
        "outcome_code": ["Choose the Home Office outcome before finalising the case"]
    }
    charged = client.post(url, {"version": 2, "to_stage": "finalised", "outcome_code": 1}, format="json")
    assert charged.status_code == 400 and "cannot have the outcome" in charged.json()["errors"]["outcome_code"][0]
    done = client.post(url, {"version": 2, "to_stage": "finalised", "outcome_code": 16}, format="json")
    assert done.status_code == 200 and done.json()["outcome_code"] == 16
    summaries = list(TimelineEvent.objects.filter(case=case).values_list("summary", flat=True))
    assert any("No further action → Finalised" in s for s in summaries)


def test_charging_advice_needs_a_suspect_and_a_charging_request(api, officer, case):
    Case.objects.filter(pk=case.pk).update(stage="under_investigation")
    client = api.as_user(officer)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    response = client.post(url, {"version": 1, "to_stage": "charging_advice_requested"}, format="json")
    assert response.status_code == 400
    assert "Add the suspect" in response.json()["errors"]["to_stage"][0]
    from casework.models import CaseParty, Person

    CaseParty.objects.create(
        case=case, person=Person.objects.create(first_name="Mark", last_name="Reeve"), role="suspect"
    )
    response = client.post(url, {"version": 1, "to_stage": "charging_advice_requested"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["to_stage"][0].endswith("send a charging request to the CPS")


def test_token_authentication_works_and_names_the_actor(officer, case):
    from rest_framework.test import APIClient

    from accounts.tokens import api_token_issue

    _, key = api_token_issue(actor=None, user=officer, name="test", scope="read", after_mfa=True)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="consult", object_id=str(case.pk)).last().actor == officer


def test_the_openapi_schema_is_valid():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
