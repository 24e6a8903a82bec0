"""The SPO application: refused unless the order can go to court, rendered as a PDF with the grounds, the
conditions, the course of conduct and the evidence, and never a protected person's address."""

import re
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import Channel, IdentifierKind, PartyRole, Place
from casework.models import CaseDocument, Evidence, Incident, PersonIdentifier
from casework.selectors import course_of_conduct
from casework.services.incidents import IncidentInput, incident_record
from casework.services.people import party_add, person_create
from config.errors import InvalidInput
from orders import choices as c
from orders.documents import SPO_APPLICATION, application_context, spo_application_request
from orders.services import breach_record
from orders.tests.factories import ConditionFactory, ProtectiveOrderFactory

SEALED_ADDRESS = "14 Larch Close, Harborne, Birmingham B17 9QT"
OLD_ADDRESS = "3 Mill Lane, Selly Oak"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role=PartyRole.VICTIM, relationship_to_suspect="ex_partner")
    # She moved to escape him: the new address is sealed; the old one is not, and is withheld too.
    PersonIdentifier.objects.create(
        person=person, kind=IdentifierKind.ADDRESS, value=SEALED_ADDRESS, normalised=SEALED_ADDRESS.lower(), sealed=True
    )
    PersonIdentifier.objects.create(
        person=person, kind=IdentifierKind.ADDRESS, value=OLD_ADDRESS, normalised=OLD_ADDRESS.lower(), is_current=False
    )
    return person


@pytest.fixture
def suspect(officer, case):
    person = person_create(
        actor=officer, first_name="John", last_name="Stalker", date_of_birth=date(1985, 4, 2), aliases=["Johnny S"]
    )
    party_add(actor=officer, case=case, person=person, role=PartyRole.SUSPECT)
    return person


@pytest.fixture
def order(officer, case, victim, suspect):
    order = ProtectiveOrderFactory(
        case=case,
        order_type=c.OrderType.INTERIM_SPO,
        status=c.OrderStatus.DRAFTED,
        respondent=suspect,
        protected_people=[victim],
        court="Birmingham Magistrates' Court",
        hearing_at=timezone.now() + timedelta(days=3),
        grounds_acts="Since January he has sent her hundreds of messages and waited outside her work.",
        grounds_risk="He has threatened to find her new home; the DASH grade is high.",
        grounds_necessity="Bail conditions end next week and nothing else will protect her.",
    )
    ConditionFactory(order=order, protected_people=[victim], wording="Not to contact Jane Doe by any means.")
    ConditionFactory(
        order=order,
        protected_people=[victim],
        kind=c.ConditionKind.EXCLUSION_ZONE,
        wording=f"Not to enter within 200 metres of {SEALED_ADDRESS.upper()}.",
        zone_address=SEALED_ADDRESS,
        zone_radius_m=200,
        rationale=f"He was seen at {OLD_ADDRESS} every evening.",
    )
    ConditionFactory(
        order=order,
        protected_people=[victim],
        kind=c.ConditionKind.REQUIREMENT,
        wording="To attend the stalking perpetrator programme.",
        rationale="His fixation continues.",
    )
    incident_record(
        actor=officer,
        case=case,
        data=IncidentInput(
            occurred_at=timezone.now() - timedelta(days=20), channel=Channel.TEXT, count=43, victim_id=victim.pk
        ),
    )
    incident_record(
        actor=officer,
        case=case,
        data=IncidentInput(
            occurred_at=timezone.now() - timedelta(days=5),
            channel=Channel.LOITERING,
            place=Place.VICTIM_WORK,
            victim_id=victim.pk,
        ),
    )
    Evidence.objects.create(
        case=case,
        exhibit_reference="PS/1",
        description="Screenshots of the 43 texts",
        file="evidence/x",
        original_name="texts.png",
        content_type="image/png",
        size=10,
        sha256="ab" * 32,
        uploaded_by=officer,
    )
    return order


def _pdf_text(document: CaseDocument) -> str:
    with document.file.open("rb") as handle:
        result = subprocess.run(["pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_it_prepares_the_interim_spo_application_as_a_pdf(
    client, officer, case, order, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orders:order-application", args=[case.pk, order.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order-documents", args=[case.pk, order.pk])
    document = CaseDocument.objects.get(case=case)
    assert document.kind == SPO_APPLICATION and document.status == "ready", document.error
    assert document.title == "Application for an interim Stalking Protection Order"
    text = _pdf_text(document)
    assert "domain.md" not in text and not re.search(r"\bADR\b", text)  # no internal references
    for expected in (
        "Application for an interim Stalking Protection Order",
        "Stalking Protection Act 2019, section 5",
        "Chief Officer of Police",  # no applicant recorded: the force's chief officer
        "John Stalker",
        "2 April 1985",
        "Johnny S",
        "Jane Doe",
        "hundreds of messages and waited outside her work",
        "threatened to find her new home",
        "Bail conditions end next week",
        "Not to contact Jane Doe by any means.",
        "To attend the stalking perpetrator programme.",
        "Text message ×43",
        "Loitering, following or watching",
        "44 contacts on 2 occasions",  # every incident's count, as the case page counts them
        "PS/1",
        "Screenshots of the 43 texts",
        "abababababababab",
        "OFFICIAL-SENSITIVE",
        "Page 1 of",
    ):
        assert expected in text, expected
    for secret in ("Larch", "B17 9QT", "LARCH CLOSE", "Mill Lane"):
        assert secret not in text, secret
    assert "Not to enter within 200 metres of [withheld]." in text


def test_the_application_page_lists_the_documents_with_their_status(
    client, officer, case, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        pending = spo_application_request(actor=officer, order=order)
    client.force_login(officer)
    response = client.get(reverse("orders:order-documents", args=[case.pk, order.pk]))
    assert response.status_code == 200
    assert reverse("casework:document-status", args=[pending.pk]) in response.text
    assert "Being prepared" in response.text and "Prepare the application again" in response.text
    assert AuditEntry.objects.filter(object_type="orders.protectiveorder", action="consult").exists()


def test_the_registrar_sees_the_page_without_the_button_and_the_stranger_gets_404(
    client, registrar, stranger, case, order
):
    client.force_login(registrar)
    page = client.get(reverse("orders:order-documents", args=[case.pk, order.pk]))
    assert page.status_code == 200 and "Prepare the application" not in page.text
    assert client.post(reverse("orders:order-application", args=[case.pk, order.pk])).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("orders:order-documents", args=[case.pk, order.pk])).status_code == 404
    assert client.post(reverse("orders:order-application", args=[case.pk, order.pk])).status_code == 404
    assert not CaseDocument.objects.exists()


def test_it_refuses_an_order_that_is_not_an_spo(officer, case, victim, suspect):
    restraining = ProtectiveOrderFactory(
        case=case, respondent=suspect, protected_people=[victim], status=c.OrderStatus.DRAFTED
    )
    with pytest.raises(InvalidInput) as refused:
        spo_application_request(actor=officer, order=restraining)
    assert "order_type" in refused.value.errors
    assert not CaseDocument.objects.exists()


def test_it_refuses_incomplete_grounds_and_says_which_limb(client, officer, case, order):
    order.grounds_risk = "  "
    order.save()
    with pytest.raises(InvalidInput) as refused:
        spo_application_request(actor=officer, order=order)
    assert set(refused.value.errors) == {"grounds_risk"}
    client.force_login(officer)
    response = client.post(reverse("orders:order-application", args=[case.pk, order.pk]), follow=True)
    assert "The application cannot be prepared yet" in response.text and "State the risk" in response.text
    assert not CaseDocument.objects.exists()


@pytest.mark.parametrize("status", [c.OrderStatus.CONSIDERED, c.OrderStatus.REFUSED, c.OrderStatus.DISCHARGED])
def test_it_refuses_an_order_not_drafted_applied_or_in_force(officer, order, status):
    order.status = status
    order.save()
    with pytest.raises(InvalidInput) as refused:
        spo_application_request(actor=officer, order=order)
    assert "status" in refused.value.errors


def test_the_full_order_cites_section_1_and_the_interim_order_granted(officer, case, order, victim, suspect):
    order.status, order.granted_on = c.OrderStatus.IN_FORCE, date(2026, 1, 10)
    order.save()
    full = ProtectiveOrderFactory(
        case=case,
        order_type=c.OrderType.SPO,
        status=c.OrderStatus.DRAFTED,
        respondent=suspect,
        protected_people=[victim],
        follows=order,
        applicant="Chief Constable of West Midlands Police",
    )
    context = application_context(full)
    assert context["title"] == "Application for a Stalking Protection Order" and context["section"] == "1"
    assert context["applicant"] == "Chief Constable of West Midlands Police"
    assert context["interim_granted_on"] == date(2026, 1, 10)


def test_the_course_of_conduct_lists_breaches_without_counting_them_twice(officer, case, order, victim):
    order.status, order.granted_on = c.OrderStatus.IN_FORCE, timezone.localdate() - timedelta(days=3)
    order.served_on = order.granted_on
    order.save()
    condition = order.conditions.get(kind=c.ConditionKind.EXCLUSION_ZONE)
    breach_record(
        actor=officer,
        case=case,
        incident=IncidentInput(
            occurred_at=timezone.now() - timedelta(days=1), channel=Channel.IN_PERSON, victim_id=victim.pk
        ),
        order=order,
        condition=condition,
    )
    Incident.objects.filter(case=case, channel=Channel.TEXT).update(narrative="43 texts saying he was watching her.")
    conduct = application_context(order)["conduct"]
    assert (conduct["occasions"], conduct["contacts"], conduct["breaches"]) == (3, 45, 1)
    assert conduct["counted"] == "45 contacts on 3 occasions" == course_of_conduct(case).counted  # as the case page
    assert [row["is_breach"] for row in conduct["rows"]] == [False, False, False, True]
    # The table adds up to the headline: a breach row has no count, its incident has it.
    assert sum(row["count"] or 0 for row in conduct["rows"]) == conduct["contacts"]
    assert conduct["rows"][-1]["count"] is None
    # The officer's account, with the incident's number; the timeline's summary only where none was written.
    text_row = next(row for row in conduct["rows"] if row["channel"] == "Text message")
    number = Incident.objects.get(case=case, channel=Channel.TEXT).number
    assert text_row["summary"] == f"#{number}: 43 texts saying he was watching her."
    # The breach in the condition's full words, the address withheld (the timeline's summary is cut short).
    assert conduct["rows"][-1]["summary"] == (
        "Breach of Interim Stalking Protection Order: Not to enter within 200 metres of [withheld]."
    )
    assert conduct["first"] < conduct["last"]
