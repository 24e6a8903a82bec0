"""The officer's charging request, preparation and answers to the prosecutor refuse free text holding the
victim's sealed detail before anything is saved: the page shows a GOV.UK error summary, the API a 400 with
the field's error, and the lawyer is granted nothing (casework.redaction.sealed_text_check)."""

import pytest
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts import policy
from accounts.policy import Action
from casework.choices import CaseStage, IdentifierKind, PartyRole
from casework.models import Case, CaseDocument, CaseParty, PersonIdentifier
from config.errors import InvalidInput
from protocol.models import ActionItem, Handover, HandoverPreparation
from protocol.services import cps
from protocol.services.preparation import preparation_save
from protocol.tests.factories import handover_to, make_ready, raise_action

SEALED = "14 Larch Close, Harborne B17 9QT"
MESSAGE = 'This text contains the victim\'s sealed address. Describe it instead (for example "her home").'


@pytest.fixture
def ready(case, risk_forms):
    make_ready(case)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.UNDER_INVESTIGATION)
    case.refresh_from_db()
    victim = CaseParty.objects.get(case=case, role=PartyRole.VICTIM).person
    PersonIdentifier.objects.create(
        person=victim, kind=IdentifierKind.ADDRESS, value=SEALED, normalised=SEALED.lower(), sealed=True, case=case
    )
    return case


def _nothing_sent(case, lawyer):
    assert not Handover.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not policy.may(lawyer, Action.VIEW_HANDOVER, case)


def test_the_send_page_refuses_a_note_with_her_sealed_address(client, officer, lawyer, ready):
    client.force_login(officer)
    response = client.post(
        f"/protocol/cases/{ready.pk}/handover/send/",
        {"lawyer": lawyer.pk, "priority": "green", "note": "She now lives at 14 larch cl, B179QT"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text and escape(MESSAGE) in text
    _nothing_sent(ready, lawyer)


def test_the_api_refuses_an_override_reason_with_her_sealed_address(supervisor, lawyer, ready):
    HandoverPreparation.objects.filter(case=ready).update(vps="")
    api = APIClient()
    api.force_login(supervisor)
    response = api.post(
        f"/api/v1/cases/{ready.pk}/handovers/",
        {"lawyer_id": lawyer.pk, "priority": "red", "override_reason": "She is at 14 Larch Close"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["override_reason"] == [MESSAGE]
    _nothing_sent(ready, lawyer)


def test_the_preparation_is_refused_and_left_as_it_was(officer, ready):
    prep = HandoverPreparation.objects.get(case=ready)
    with pytest.raises(InvalidInput) as refused:
        preparation_save(
            actor=officer, case=ready, expected_version=prep.version, headline="He went to 14 Larch Cl every night"
        )
    assert refused.value.errors == {"headline": [MESSAGE]}
    assert HandoverPreparation.objects.get(case=ready).headline == prep.headline


def test_an_answer_to_the_prosecutor_is_refused(officer, lawyer, ready):
    item = raise_action(handover_to(ready, lawyer))
    with pytest.raises(InvalidInput) as refused:
        cps.action_answer(actor=officer, item=item, answer="Statement taken at B17 9QT")
    assert refused.value.errors == {"answer": [MESSAGE]}
    assert ActionItem.objects.get(pk=item.pk).answered_at is None


def test_a_decision_to_take_no_further_action_is_refused_and_the_case_left_open(supervisor, ready):
    from protocol.services.decisions import case_close_without_charge

    with pytest.raises(InvalidInput) as refused:
        case_close_without_charge(
            actor=supervisor, case=ready, kind="no_further_action", reason="She moved to 14 Larch Close",
            victim_told_on=None, victim_told_method="", right_to_review_explained=True,
        )  # fmt: skip
    assert refused.value.errors["reason"] == [MESSAGE]
    assert Case.objects.get(pk=ready.pk).stage == CaseStage.UNDER_INVESTIGATION
