"""The insider, crawling (threat model, "How to test like them"). Her sealed details are planted as the
world records them and, as marker values, in every free-text field a lawyer, an advocate or a document
receives; then:
- officers and supervisors of another unit and of another force request every route of the permission
  matrix with the real ids of her case's records, link her into a case of their own and crawl that case and
  her record there, and search for her by name and by her sealed number: no page, JSON or PDF they get holds
  a marker in any spelling, and her officer in the case is told they looked;
- the CPS lawyer and the advocate crawl every route with her case's ids, and the charging pack as a PDF:
  none of the markers, in any spelling (the field-level crawl)."""

import re
import subprocess

import pytest
from django.db import transaction
from django.test import Client

from tests.test_permission_matrix import MATRIX
from tests.world import SEALED_ADDRESS, SEALED_PHONE

INSIDERS = {
    "stranger": "other_unit",
    "stranger_supervisor": "other_unit",
    "outsider": "other_force",
    "outsider_supervisor": "other_force",
}
# Free text that names her whereabouts in the spellings people write: what redaction must catch.
PLANTED = {
    "incident narrative": "He was waiting outside 17 Hiddenway Cl at 2am",
    "handover note": "Her new number is 07700900102, call before 5",
    "override reason": "She lives at 17 hiddenway close b152tt now",
    "cps action answer": "Her address: 17 Hiddenway Close, B15 2TT",
    "safety plan measure": "Panic alarm fitted at 17 Hiddenway Close",
    "passed-on account": "He rang +44 7700 900 102 twelve times",
    "referral note": "Contact her on 07700-900-102 only",
    "case title": "Following her home to 17 Hiddenway Close",
    "evidence description": "Doorbell camera at 17 HIDDENWAY CL",
}


def _normalised(text: str) -> str:
    return re.sub(r"[\s\-().+]", "", text).lower()


# Every spelling of her sealed address and phone, compared with spacing and punctuation removed.
MARKERS = [_normalised(m) for m in ("Hiddenway", "B15 2TT", "7700 900102")] + [_normalised(SEALED_ADDRESS)]
assert _normalised(SEALED_PHONE).endswith("7700900102")


def _leaks(body: bytes | str) -> list[str]:
    text = _normalised(body.decode(errors="replace") if isinstance(body, bytes) else body)
    return [m for m in MARKERS if m in text]


def _pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def planted(world, db):
    """The markers written into her case's free text (as legacy data or a bypassed check would leave them),
    and the charging pack rendered again from it."""
    from casework.documents import document_render
    from casework.models import Case, Evidence, Incident, PassedOnIncident, SafetyPlanItem, SupportReferral
    from protocol.models import ActionItem, Handover

    kit = world.kits["own"]
    Incident.objects.filter(pk=kit.incident).update(narrative=PLANTED["incident narrative"])
    Handover.objects.filter(pk=kit.handover).update(
        note=PLANTED["handover note"], override_reason=PLANTED["override reason"]
    )
    ActionItem.objects.filter(pk=kit.cps_action).update(answer=PLANTED["cps action answer"])
    SafetyPlanItem.objects.filter(pk=kit.plan_item).update(measure=PLANTED["safety plan measure"])
    PassedOnIncident.objects.filter(pk=kit.passed_on).update(account=PLANTED["passed-on account"])
    SupportReferral.objects.filter(pk=kit.referral).update(note=PLANTED["referral note"])
    Case.objects.filter(pk=kit.case).update(title=PLANTED["case title"])
    Evidence.objects.filter(pk=kit.evidence).update(description=PLANTED["evidence description"])
    document_render(kit.document)
    return kit


def _crawl(user, ids: dict) -> dict[str, list[str]]:
    """Every matrix route, by its own method, with these ids: {url: markers found} for those that leak."""
    client = Client()
    client.force_login(user)
    found = {}
    for _name, (method, path, _expected) in MATRIX.items():
        url = path.format(**ids)
        with transaction.atomic():
            response = client.generic(method, url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.get("Content-Type", "").startswith("application/pdf"):
                body = _pdf_text(body)
            leaks = _leaks(body)
            if leaks:
                found[f"{method} {url} → {response.status_code}"] = leaks
            transaction.set_rollback(True)
    return found


@pytest.mark.parametrize("insider", list(INSIDERS))
def test_an_insider_with_her_real_ids_gets_nothing_of_her_whereabouts(world, planted, insider):
    ids = world.kits["own"].ids
    assert _crawl(world.users[insider], ids) == {}


@pytest.mark.parametrize("insider", list(INSIDERS))
def test_an_insider_who_links_her_and_crawls_his_own_case_finds_nothing_and_is_seen(world, planted, insider):
    from casework.models import OutsideLookup, PersonIdentifier

    user = world.users[insider]
    own, his = world.kits["own"], world.kits[INSIDERS[insider]]
    client = Client()
    client.force_login(user)
    linked = client.post(
        f"/api/v1/cases/{his.case}/people/",
        {"person_id": own.victim, "role": "victim"},
        content_type="application/json",
    )
    assert linked.status_code == 201, linked.content
    assert _leaks(linked.content) == []
    # Her sealed number confirms nothing: she is not found by it (his own case's victim, who has the same
    # number sealed where he may read it, is; the page echoes only what he typed).
    for phone in (SEALED_PHONE, "+447700900102"):
        found = {c["id"] for c in client.get("/api/v1/people/", {"phone": phone}).json()}
        assert found == {his.victim}
    panel = client.post(
        f"/cases/{his.case}/people/add/",
        {"role": "witness", "gender": "not_known", "phone": "07700 900 102", "action": "search"},
    )
    linkable = set(re.findall(r'name="link_person" value="(\d+)"', panel.content.decode()))
    assert str(own.victim) not in linkable and "Already in this case" in panel.content.decode()  # his victim
    # His case, with her in it, and every route of it, and her record through it (his own victim, sealed
    # with the same values by the world, loses them first, so what is found could only be hers).
    PersonIdentifier.objects.filter(person_id=his.victim, sealed=True).delete()
    assert _crawl(user, his.ids | {"victim": own.victim}) == {}
    assert OutsideLookup.objects.filter(case_id=own.case, by=user, how="link").exists()
    client.get(f"/people/{own.victim}/?case={his.case}")  # the crawl's own requests were rolled back
    assert OutsideLookup.objects.filter(case_id=own.case, by=user, how="read").exists()


@pytest.mark.parametrize("role", ["lawyer", "advocate"])
def test_the_lawyer_and_the_advocate_get_none_of_her_whereabouts_anywhere(world, planted, role):
    from casework.models import CaseDocument

    assert _crawl(world.users[role], world.kits["own"].ids) == {}
    if role == "lawyer":  # the pack it was sent with, as the lawyer downloads it
        client = Client()
        client.force_login(world.users[role])
        response = client.get(f"/documents/{world.kits['own'].document}/download/")
        assert response.status_code == 200
        text = _pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
        assert CaseDocument.objects.get(pk=world.kits["own"].document).case.reference in text
        assert _leaks(text) == []


def test_the_markers_are_really_there_for_the_police(world, planted):
    """The crawl can fail: her officer in the case does see the planted text and her sealed details."""
    found = _crawl(world.users["officer"], world.kits["own"].ids)
    assert any("/people/" in url for url in found), found
    assert any("/incidents/" in url or f"/cases/{world.kits['own'].case}/" in url for url in found), found
