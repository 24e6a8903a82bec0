"""The CPS journey through the API with real tokens (issue 17): the officer finds the lawyer to send the
charging request to and sends it, the lawyer downloads the pack; each download audited as a disclosure."""

import subprocess

import pytest
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import AuditEntry
from accounts.tests.factories import CPSAreaFactory, UserFactory
from accounts.tokens import api_token_issue
from casework.choices import CaseStage
from casework.documents import document_request
from casework.models import Case
from protocol.pack import CHARGING_PACK
from protocol.tests.factories import handover_to, make_ready


@pytest.fixture
def ready(case, risk_forms):
    make_ready(case)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.UNDER_INVESTIGATION)
    case.refresh_from_db()
    return case


def _with_token(user, scope="read") -> APIClient:
    _, key = api_token_issue(actor=None, user=user, name="case system", scope=scope, after_mfa=True)
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def test_the_officer_lists_the_active_lawyers_of_an_area_and_the_lawyer_is_not_offered_to_others(
    officer, registrar, lawyer, ready
):
    west = lawyer.cps_area
    east = CPSAreaFactory(code="cps-east")
    UserFactory(username="east.lawyer", role=Role.CPS_LAWYER, cps_area=east, first_name="Ada", last_name="Ng")
    UserFactory(username="gone", role=Role.CPS_LAWYER, cps_area=west, is_active=False)
    api = _with_token(officer)
    url = f"/api/v1/cases/{ready.pk}/handover/lawyers/"

    everyone = api.get(url)
    assert everyone.status_code == 200, everyone.content
    assert [row["username"] for row in everyone.json()] == ["east.lawyer", lawyer.username]  # by surname
    assert everyone.json()[1] == {
        "id": lawyer.pk,
        "name": lawyer.get_full_name(),
        "username": lawyer.username,
        "cps_area": west.code,
        "cps_area_name": west.name,
    }
    assert [row["id"] for row in api.get(url, {"cps_area": west.code}).json()] == [lawyer.pk]
    assert api.get(url, {"cps_area": "nowhere"}).json() == []
    assert api.get(url, {"cps_area": "not a code"}).status_code == 400
    assert AuditEntry.objects.filter(actor=officer, action="consult", detail__contains="CPS lawyers").count() == 3
    # Those who may not send one do not learn the list through the case: the registrar and the lawyer.
    assert _with_token(registrar).get(url).status_code == 404
    assert _with_token(lawyer).get(url).status_code == 404


def test_the_officer_sends_the_request_and_the_lawyer_downloads_the_pack_with_tokens(
    officer, lawyer, ready, django_capture_on_commit_callbacks
):
    officer_api = _with_token(officer, scope="write")
    chosen = officer_api.get(f"/api/v1/cases/{ready.pk}/handover/lawyers/").json()[0]
    with django_capture_on_commit_callbacks(execute=True):
        sent = officer_api.post(
            f"/api/v1/cases/{ready.pk}/handovers/", {"lawyer_id": chosen["id"], "priority": "green"}, format="json"
        )
    assert sent.status_code == 201, sent.content
    pack_id = sent.json()["pack"]["id"]

    lawyer_api = _with_token(lawyer)
    detail = lawyer_api.get(f"/api/v1/documents/{pack_id}/")
    assert detail.status_code == 200 and detail.json()["status"] == "ready", detail.content
    assert detail.json()["download_url"] == f"/api/v1/documents/{pack_id}/download/"
    # A client asking for the PDF by its type gets it; on the page's URL a token is not a session.
    response = lawyer_api.get(detail.json()["download_url"], HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert ready.reference in text and "MG3" in text
    disclosed = AuditEntry.objects.get(actor=lawyer, action="disclose")
    assert disclosed.object_id == str(pack_id) and disclosed.recipient == f"downloaded by {lawyer.username}"
    assert lawyer_api.get(f"/documents/{pack_id}/download/").status_code == 302  # to the log-in page


def test_a_document_not_yours_or_not_ready_is_not_found_and_nothing_is_disclosed(officer, lawyer, ready):
    other_lawyer = UserFactory(username="other.lawyer", role=Role.CPS_LAWYER)
    handover = handover_to(ready, lawyer, by=officer)
    pending = document_request(actor=officer, case=ready, kind=CHARGING_PACK, source=handover)  # never rendered
    assert _with_token(lawyer).get(f"/api/v1/documents/{pending.pk}/download/").status_code == 404
    assert _with_token(other_lawyer).get(f"/api/v1/documents/{pending.pk}/download/").status_code == 404
    assert APIClient().get(f"/api/v1/documents/{pending.pk}/download/").status_code == 401
    assert not AuditEntry.objects.filter(action="disclose", actor__in=[lawyer, other_lawyer]).exists()
