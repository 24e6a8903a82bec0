"""The officer's preparation of the file: saving with a version check, the Handover tab and its API."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from config.errors import EditConflict, InvalidInput
from protocol.models import HandoverPreparation
from protocol.services.preparation import preparation_save
from protocol.tests.factories import make_ready


@pytest.fixture
def api():
    client = APIClient()

    def as_user(user):
        client.force_login(user)
        return client

    client.as_user = as_user
    return client


MG5 = {
    "offences": ["pha_s4a_distress", "pha_s2a"],
    "headline": "  He stalked her for three months.  ",
    "key_witnesses": "Her sister.",
    "interview_summary": "No comment.",
}


# ---------------------------------------------------------------- the service


def test_the_first_save_creates_the_preparation_at_version_1(officer, case):
    prep = preparation_save(actor=officer, case=case, expected_version=0, **MG5)
    assert prep.version == 1 and prep.updated_by == officer
    assert prep.headline == "He stalked her for three months."
    assert prep.offences == ["pha_s2a", "pha_s4a_distress"]  # in the order of the choices


def test_each_save_moves_the_version_on_and_keeps_fields_not_given(officer, supervisor, case):
    preparation_save(actor=officer, case=case, expected_version=0, **MG5)
    prep = preparation_save(actor=supervisor, case=case, expected_version=1, vps="declined")
    assert prep.version == 2 and prep.vps == "declined" and prep.headline == "He stalked her for three months."
    assert prep.updated_by == supervisor


def test_a_stale_save_is_refused_and_nothing_is_changed(officer, supervisor, case):
    preparation_save(actor=officer, case=case, expected_version=0, **MG5)
    preparation_save(actor=supervisor, case=case, expected_version=1, headline="Supervisor's headline")
    with pytest.raises(EditConflict) as refused:
        preparation_save(actor=officer, case=case, expected_version=1, headline="Officer's late headline")
    assert refused.value.extra["current"] == {"version": 2}
    prep = HandoverPreparation.objects.get(case=case)
    assert prep.headline == "Supervisor's headline" and prep.version == 2


def test_a_second_first_save_is_a_conflict(officer, case):
    preparation_save(actor=officer, case=case, expected_version=0, **MG5)
    with pytest.raises(EditConflict):
        preparation_save(actor=officer, case=case, expected_version=0, headline="again")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"offences": ["murder"]}, "offences"),
        ({"vps": "maybe"}, "vps"),
        ({"special_measures": "screens"}, "special_measures"),
        ({"anticipated_plea": "guilty"}, "anticipated_plea"),
        ({"vps": "taken", "vps_on": timezone.localdate() + timedelta(days=1)}, "vps_on"),
        ({"vps_on": timezone.localdate()}, "vps_on"),
        ({"special_measures_on": timezone.localdate()}, "special_measures_on"),
        (
            {"special_measures": "declined", "special_measures_on": timezone.localdate() + timedelta(days=1)},
            "special_measures_on",
        ),
        ({"special_measures": "not_needed", "special_measures_detail": "A screen"}, "special_measures_detail"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(officer, case, fields, field):
    with pytest.raises(InvalidInput) as refused:
        preparation_save(actor=officer, case=case, expected_version=0, **fields)
    assert field in refused.value.errors
    assert not HandoverPreparation.objects.filter(case=case).exists()


def test_only_those_who_may_edit_the_case_prepare_it(registrar, stranger, lawyer, case):
    for user in (registrar, stranger, lawyer):
        with pytest.raises(InvalidInput):
            preparation_save(actor=user, case=case, expected_version=0, **MG5)
    assert not HandoverPreparation.objects.filter(case=case).exists()


# ---------------------------------------------------------------- the Handover tab


def _form(**fields) -> dict:
    data = {"version": "0", "headline": "", "key_witnesses": "", "interview_summary": ""}
    return data | fields


def test_the_tab_shows_the_checklist_with_links_to_fix_and_audits_the_read(client, officer, case):
    client.force_login(officer)
    response = client.get(f"/protocol/cases/{case.pk}/handover/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stalking protocol checklist" in page
    assert "Show the course of conduct: at least two occasions" in page
    assert "Missing: needed to send" in page
    assert f'href="/cases/{case.pk}/incidents/new/"' in page
    assert "The system cannot issue a Police Information Notice" in page
    assert AuditEntry.objects.filter(action="consult", object_type="casework.case", actor=officer).exists()


def test_the_case_page_has_the_handover_tab_and_the_readiness_panel(client, officer, case):
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/protocol/cases/{case.pk}/handover/"' in page
    assert "items missing" in page


def test_the_panel_says_ready_when_nothing_is_missing(client, officer, case, risk_forms):
    make_ready(case)
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Ready for the CPS" in page


def test_saving_the_form_updates_the_checklist(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/protocol/cases/{case.pk}/handover/preparation/",
        _form(offences=["pha_s2a"], headline="H", key_witnesses="W", interview_summary="I", vps="declined"),
    )
    assert response.status_code == 302 and response["Location"].endswith("/handover/#checklist")
    prep = HandoverPreparation.objects.get(case=case)
    assert prep.offences == ["pha_s2a"] and prep.vps == "declined"
    page = client.get(f"/protocol/cases/{case.pk}/handover/").content.decode()
    assert "Headline, key witnesses and interview written" in page


def test_a_stale_form_shows_someone_else_changed_it_with_409(client, officer, supervisor, case):
    preparation_save(actor=supervisor, case=case, expected_version=0, headline="The supervisor's")
    client.force_login(officer)
    response = client.post(f"/protocol/cases/{case.pk}/handover/preparation/", _form(headline="Mine"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed it" in page and 'name="version" value="1"' in page
    assert HandoverPreparation.objects.get(case=case).headline == "The supervisor's"


def test_a_refused_form_comes_back_with_the_error_on_its_field(client, officer, case):
    client.force_login(officer)
    response = client.post(f"/protocol/cases/{case.pk}/handover/preparation/", _form(vps_on="2026-01-01"))
    assert response.status_code == 400
    assert "Give the date with the decision on the statement" in response.content.decode()
    assert not HandoverPreparation.objects.filter(case=case).exists()


def test_the_registrar_sees_the_tab_without_the_forms(client, registrar, case):
    client.force_login(registrar)
    page = client.get(f"/protocol/cases/{case.pk}/handover/").content.decode()
    assert "Stalking protocol checklist" in page and "Save the preparation" not in page


def test_a_lawyer_and_a_stranger_get_404(client, lawyer, stranger, case):
    for user in (lawyer, stranger):
        client.force_login(user)
        assert client.get(f"/protocol/cases/{case.pk}/handover/").status_code == 404
        assert client.post(f"/protocol/cases/{case.pk}/handover/preparation/", _form()).status_code == 404


# ---------------------------------------------------------------- the API


def test_the_api_reads_an_empty_preparation_at_version_0(api, officer, case):
    body = api.as_user(officer).get(f"/api/v1/cases/{case.pk}/handover/preparation/").json()
    assert body["version"] == 0 and body["offences"] == [] and body["vps_on"] is None


def test_the_api_saves_and_refuses_a_stale_version(api, officer, case):
    api.as_user(officer)
    url = f"/api/v1/cases/{case.pk}/handover/preparation/"
    response = api.put(url, {"version": 0, **MG5, "vps": "taken", "vps_on": "2026-01-05"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 1 and response.json()["vps_on"] == "2026-01-05"
    stale = api.put(url, {"version": 0, "headline": "late"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"] == {"version": 1}
    assert api.get(url).json()["headline"] == "He stalked her for three months."
    assert AuditEntry.objects.filter(action="consult", object_type="protocol.handoverpreparation").exists()


def test_the_api_names_the_bad_field(api, officer, case):
    api.as_user(officer)
    url = f"/api/v1/cases/{case.pk}/handover/preparation/"
    response = api.put(url, {"version": 0, "vps": "", "vps_on": "2026-01-05"}, format="json")
    assert response.status_code == 400 and "vps_on" in response.json()["errors"]
    response = api.put(url, {"version": 0, "offences": ["murder"]}, format="json")
    assert response.status_code == 400 and "offences" in response.json()["errors"]


def test_the_checklist_api_lists_every_item_and_whether_it_blocks(api, officer, case, risk_forms):
    api.as_user(officer)
    body = api.get(f"/api/v1/cases/{case.pk}/handover/checklist/").json()
    assert body["ready"] is False and body["blocking"] > 0
    keys = [item["key"] for item in body["items"]]
    assert keys[0] == "course_of_conduct" and keys[-1] == "no_pin"
    make_ready(case)
    body = api.get(f"/api/v1/cases/{case.pk}/handover/checklist/").json()
    assert body == body | {"ready": True, "missing": 0, "blocking": 0}
    assert AuditEntry.objects.filter(action="consult", detail="protocol checklist", actor=officer).exists()


def test_the_api_gives_a_lawyer_404(api, lawyer, case):
    api.as_user(lawyer)
    for path in ("handover/preparation/", "handover/checklist/", "handovers/"):
        assert api.get(f"/api/v1/cases/{case.pk}/{path}").status_code == 404
