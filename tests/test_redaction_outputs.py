"""The redaction corpus planted in a case, then looked for in everything a lawyer, an advocate or a printed
document receives: the SPO application and charging pack PDFs (real WeasyPrint, read back with pdftotext),
the lawyer's page and API, the advocate's page and API, and alert e-mails. None of it may get out.

The variants are planted straight into the records, as text written before the victim's details were
sealed (the entry check refuses them now: casework/tests/test_sealed_text_entry.py)."""

import subprocess
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework.choices import Channel, IdentifierKind, PartyRole, ReferralOutcome, SupportService
from casework.models import CaseDocument, CaseParty, PersonIdentifier, SafetyPlanItem, SupportReferral
from casework.notifications import notify_new_alerts
from casework.tests.factories import AlertFactory, IncidentFactory, PersonFactory, pass_on
from casework.tests.redaction_corpus import ADDRESS, EMAIL, PHONE, VARIANTS
from orders import choices as oc
from orders.documents import spo_application_request
from orders.tests.factories import ConditionFactory, ProtectiveOrderFactory
from protocol.models import ActionItem
from protocol.pack import CHARGING_PACK
from protocol.tests.factories import handover_to

# What would give each secret away: its distinctive parts, in any case, however spaced.
TELLS = ("hiddenway", "9qx", "129qx", "900102", "900-102", "900.102", "90 01 02", "example.com")
TEXTS = [text for text, _ in VARIANTS]


def _assert_none(text: str, where: str) -> None:
    flat = text.lower()
    for tell in TELLS:
        assert tell not in flat, f"{tell!r} in the {where}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def victim(case):
    person = PersonFactory(first_name="Jane", last_name="Doe")
    CaseParty.objects.create(case=case, person=person, role=PartyRole.VICTIM, relationship_to_suspect="ex_partner")
    for kind, value in (
        (IdentifierKind.ADDRESS, ADDRESS),
        (IdentifierKind.PHONE, PHONE),
        (IdentifierKind.EMAIL, EMAIL),
    ):
        PersonIdentifier.objects.create(
            person=person, kind=kind, value=value, normalised=value.lower(), sealed=True, case=case
        )
    return person


@pytest.fixture
def suspect(case):
    person = PersonFactory(first_name="John", last_name="Stalker", date_of_birth=date(1985, 4, 2))
    CaseParty.objects.create(case=case, person=person, role=PartyRole.SUSPECT)
    return person


@pytest.fixture
def planted(case, officer, victim, suspect, advocate, lawyer):
    """Every variant in every free text the outputs print: narratives, the order's grounds and conditions,
    the charging request, the action plan, the safety plan and what the advocate passed on."""
    for n, text in enumerate(TEXTS, start=1):
        IncidentFactory(
            case=case, victim=victim, narrative=text, occurred_at=timezone.now() - timedelta(days=40 - n), number=n
        )
    corpus = " ".join(TEXTS)
    order = ProtectiveOrderFactory(
        case=case,
        order_type=oc.OrderType.INTERIM_SPO,
        status=oc.OrderStatus.DRAFTED,
        respondent=suspect,
        protected_people=[victim],
        court="Birmingham Magistrates' Court",
        hearing_at=timezone.now() + timedelta(days=3),
        grounds_acts=corpus,
        grounds_risk=corpus,
        grounds_necessity=corpus,
    )
    ConditionFactory(order=order, protected_people=[victim], wording=corpus, rationale=corpus)
    handover = handover_to(case, lawyer, note=corpus, override_reason=corpus, decision_rationale=corpus)
    ActionItem.objects.create(
        handover=handover,
        case=case,
        request=corpus,
        due_on=timezone.localdate() + timedelta(days=7),
        raised_by=lawyer,
        answer=corpus,
        answered_by=officer,
        answered_at=timezone.now(),
    )
    _refer(case, victim, advocate)
    SafetyPlanItem.objects.create(
        case=case, victim=victim, risk=corpus[:200], measure=corpus, owner="Police", created_by=advocate
    )
    pass_on(case, victim, advocate, account=corpus, channel=Channel.TEXT)
    return {"order": order, "handover": handover}


def _refer(case, victim, advocate) -> None:
    SupportReferral.objects.create(
        case=case,
        victim=victim,
        service=SupportService.STALKING_ADVOCATE,
        outcome=ReferralOutcome.REFERRED,
        referred_on=timezone.localdate(),
        organisation=advocate.organisation,
        consent_to_share=True,
        recorded_by=case.officer,
    )


def _pdf_text(document: CaseDocument) -> str:
    document.refresh_from_db()
    assert document.status == "ready", document.error
    with document.file.open("rb") as handle:
        result = subprocess.run(["pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True)
    return result.stdout.decode()


def test_the_spo_application_served_on_him_holds_none_of_the_corpus(
    officer, planted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = spo_application_request(actor=officer, order=planted["order"])
    text = _pdf_text(document)
    assert "[withheld]" in text and "Jane Doe" in text
    _assert_none(text, "SPO application")


def test_the_charging_pack_holds_none_of_the_corpus(officer, case, planted, django_capture_on_commit_callbacks):
    from casework.documents import document_request

    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(actor=officer, case=case, kind=CHARGING_PACK, source=planted["handover"])
    text = _pdf_text(document)
    assert "[withheld]" in text
    _assert_none(text, "charging pack")


def test_the_lawyers_page_and_api_hold_none_of_the_corpus(client, lawyer, planted):
    handover = planted["handover"]
    client.force_login(lawyer)
    page = client.get(reverse("protocol:handover-detail", args=[handover.pk]))
    assert page.status_code == 200 and "[withheld]" in page.text
    _assert_none(page.text, "lawyer's page")
    for url in (
        reverse("api-handover-detail", args=[handover.pk]),
        reverse("api-handover-list"),
    ):
        response = client.get(url)
        assert response.status_code == 200 and "[withheld]" in response.content.decode()
        _assert_none(response.content.decode(), url)


def test_the_officer_in_the_case_reads_what_was_written(client, officer, planted):
    client.force_login(officer)
    page = client.get(reverse("protocol:handover-detail", args=[planted["handover"].pk]))
    assert "Hiddenway" in page.text  # she may read the sealed details: nothing is withheld from her


def test_the_advocates_page_and_api_hold_none_of_the_corpus(client, advocate, case, planted):
    client.force_login(advocate)
    page = client.get(reverse("casework:care-case", args=[case.pk]))
    assert page.status_code == 200 and "[withheld]" in page.text
    _assert_none(page.text, "advocate's page")
    response = client.get(reverse("api-care-case", args=[case.pk]))
    assert response.status_code == 200 and "[withheld]" in response.content.decode()
    _assert_none(response.content.decode(), "advocate's API")


def test_the_advocates_own_safety_plan_answer_is_withheld_too(client, advocate, case, victim, planted):
    client.force_login(advocate)
    response = client.post(
        reverse("api-care-safety-plan", args=[case.pk]),
        {"victim_id": victim.pk, "risk": "He finds her", "measure": "Panic alarm fitted"},
    )
    assert response.status_code == 201
    item = SafetyPlanItem.objects.get(pk=response.json()["id"])
    SafetyPlanItem.objects.filter(pk=item.pk).update(measure=TEXTS[1])  # as if written before the sealing
    page = client.get(reverse("api-care-case", args=[case.pk]))
    _assert_none(page.content.decode(), "advocate's API")


def test_alert_emails_hold_none_of_the_corpus(officer, case, victim):
    # An alert e-mail carries references only; were a victim's address ever in one, it is withheld.
    officer.email = "priya.shah@police.example"
    officer.save()
    case.reference = "17 Hiddenway Cl"
    case.save(update_fields=["reference"])
    AlertFactory(case=case)
    notify_new_alerts()
    (message,) = mail.outbox
    assert "[withheld]" in message.body
    _assert_none(message.subject + message.body, "alert e-mail")
