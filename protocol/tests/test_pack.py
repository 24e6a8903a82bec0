"""The charging pack: every part rendered with the case's real data by WeasyPrint, the victim's view of
each restraining-order condition and the DASH answers printed, the MG6 banded as not for disclosure,
and never a victim's address or sealed detail."""

import re
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.policy import Action
from casework.choices import Behaviour, Channel, IdentifierKind, PartyRole, Place, SupportService
from casework.documents import document_request, render_pdf
from casework.models import CaseDocument, Evidence, EvidenceTask, Incident, PersonIdentifier, SupportReferral
from casework.services.cases import case_access_grant
from casework.services.incidents import IncidentInput, incident_record
from casework.services.people import party_add, person_create
from orders import choices as oc
from orders.tests.factories import ConditionFactory, ProtectiveOrderFactory, SuspectRouteFactory
from protocol import choices as c
from protocol.models import Handover, HandoverPreparation
from protocol.pack import CHARGING_PACK, pack_context, pack_html, pack_title
from risk import services as risk
from risk.questionnaires import builtin_forms_by_kind
from risk.tests.factories import plan_basics

SEALED_ADDRESS = "14 Larch Close, Harborne, Birmingham B17 9QT"
OLD_ADDRESS = "3 Mill Lane, Selly Oak"
SEALED_PHONE = "07700 900123"
SECRETS = ("Larch", "B17 9QT", "LARCH CLOSE", "Mill Lane", "07700")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role=PartyRole.VICTIM, relationship_to_suspect="ex_partner")
    # She moved to escape him: the new address and her phone are sealed; the old address is withheld too.
    for kind, value, sealed, current in (
        (IdentifierKind.ADDRESS, SEALED_ADDRESS, True, True),
        (IdentifierKind.ADDRESS, OLD_ADDRESS, False, False),
        (IdentifierKind.PHONE, SEALED_PHONE, True, True),
    ):
        PersonIdentifier.objects.create(
            person=person, kind=kind, value=value, normalised=value.lower(), sealed=sealed, is_current=current
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
def preparation(officer, case):
    return HandoverPreparation.objects.create(
        case=case,
        offences=[c.Offence.PHA_S4A_DISTRESS, c.Offence.PHA_S2A],
        headline="Over three months the suspect texted, followed and watched his former partner.",
        key_witnesses="Her colleague saw him waiting outside her work on two evenings.",
        interview_summary="He admitted sending the texts but denied following her.",
        anticipated_plea=c.AnticipatedPlea.NOT_GUILTY,
        compensation="Replacement locks, £240.",
        vps=c.VpsStatus.TAKEN,
        vps_on=date(2026, 3, 2),
        vps_summary="She no longer walks to work alone and has stopped seeing friends.",
        special_measures=c.SpecialMeasures.NEEDED,
        special_measures_detail="Screens at trial; she is frightened of seeing him.",
        witness_issues="The colleague is reluctant to attend court.",
        suspect_risk="Fixated; previous harassment of another ex-partner in 2019.",
        confidential_notes=f"She has moved to {SEALED_ADDRESS}; do not disclose.",
        spo_not_sought_reason="",
        updated_by=officer,
    )


@pytest.fixture
def file(officer, case, victim, suspect, preparation, risk_forms):
    """The case as the officer would have it when asking for a charging decision."""
    conviction = ProtectiveOrderFactory(
        case=case, respondent=suspect, protected_people=[victim], status=oc.OrderStatus.DRAFTED
    )
    ConditionFactory(
        order=conviction, protected_people=[victim], wording="Not to contact Jane Doe directly or indirectly.",
        victim_view="She wants no contact of any kind, including through his mother.",
    )  # fmt: skip
    ConditionFactory(
        order=conviction,
        protected_people=[victim],
        kind=oc.ConditionKind.EXCLUSION_ZONE,
        wording=f"Not to enter within 200 metres of {SEALED_ADDRESS.upper()}.",
        zone_address=SEALED_ADDRESS,
        zone_radius_m=200,
        rationale=f"He was seen at {OLD_ADDRESS} every evening.",
        consultation=oc.ConsultationOutcome.WANTS_CHANGES,
        victim_view="She wants the zone to cover her gym as well.",
    )
    acquittal = ProtectiveOrderFactory(
        case=case,
        order_type=oc.OrderType.RESTRAINING_ORDER_ACQUITTAL,
        respondent=suspect,
        protected_people=[victim],
        status=oc.OrderStatus.DRAFTED,
    )
    ConditionFactory(
        order=acquittal, protected_people=[victim], wording="Not to go to Jane Doe's workplace.",
        victim_view="She needs this even if he is acquitted.",
    )  # fmt: skip
    ProtectiveOrderFactory(
        case=case, order_type=oc.OrderType.INTERIM_SPO, respondent=suspect, protected_people=[victim],
        status=oc.OrderStatus.APPLIED, applied_on=date(2026, 3, 1),
    )  # fmt: skip
    SuspectRouteFactory(
        case=case, suspect=suspect, bail=True, victim_views="She asked for a condition not to enter Harborne."
    )
    incident_record(
        actor=officer,
        case=case,
        data=IncidentInput(
            occurred_at=timezone.now() - timedelta(days=30),
            channel=Channel.TEXT,
            count=43,
            victim_id=victim.pk,
            behaviours=[Behaviour.CONTACTING],
            narrative="43 texts in one night saying he knew where she lived.",
        ),
    )
    incident_record(
        actor=officer,
        case=case,
        data=IncidentInput(
            occurred_at=timezone.now() - timedelta(days=6),
            channel=Channel.LOITERING,
            place=Place.VICTIM_WORK,
            victim_id=victim.pk,
            behaviours=[Behaviour.LOITERING, Behaviour.WATCHING],
            victim_feared_violence=True,
        ),
    )
    # Written before her address was sealed (the entry check refuses it now): the pack must still withhold it.
    Incident.objects.filter(case=case, channel=Channel.LOITERING).update(
        narrative=f"Waited outside her work, then followed her bus towards {SEALED_ADDRESS}."
    )
    Evidence.objects.create(
        case=case, exhibit_reference="PS/1", description="Screenshots of the 43 texts", file="evidence/x",
        original_name="texts.png", content_type="image/png", size=10, sha256="ab" * 32, uploaded_by=officer,
    )  # fmt: skip
    EvidenceTask.objects.create(
        case=case, description="CCTV from the bus company", due_on=date(2026, 4, 14), created_by=officer
    )
    SupportReferral.objects.create(
        case=case, victim=victim, service=SupportService.STALKING_ADVOCATE, referred_on=date(2026, 2, 20),
        recorded_by=officer,
    )  # fmt: skip
    _completed_assessment(officer, case, victim)
    return case


def _completed_assessment(officer, case, victim):
    assessment = risk.risk_assessment_start(
        actor=officer, case=case, victim=victim, kinds=["dash", "stalking_supplementary"]
    )
    forms = builtin_forms_by_kind()
    answers = {q.key: {"answer": "no"} for q in forms["dash"].questions}
    answers |= {q.key: {"answer": "no"} for q in forms["stalking_supplementary"].questions}
    first_dash, first_sh = forms["dash"].questions[0].key, forms["stalking_supplementary"].questions[0].key
    answers[first_dash] = {"answer": "yes", "details": "Bruised wrist when he grabbed her at the bus stop."}
    answers[first_sh] = {"answer": "yes", "details": f"Terrified he will find {SEALED_ADDRESS}."}
    assessment = risk.risk_assessment_answer(actor=officer, assessment=assessment, expected_version=1, answers=answers)
    risk.risk_plan_action_add(
        actor=officer, assessment=assessment, risk="Following (S&H 1)", action="Fit a video doorbell",
        owner="PC Shah", due_on=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    return risk.risk_assessment_complete(actor=officer, assessment=assessment, expected_version=2, **plan_basics())


def _handover(case, officer, lawyer, **fields):
    return Handover.objects.create(
        case=case,
        lawyer=lawyer,
        priority=fields.pop("priority", c.Priority.RED),
        note=fields.pop("note", "Suspect in custody; a remand decision is needed by 18:00."),
        sent_by=officer,
        sent_at=timezone.now(),
        **fields,
    )


def _text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(text: str) -> list[str]:
    return text.split("\f")


def test_it_renders_every_part_with_the_case_data_for_the_lawyer_who_downloads_it(
    client, officer, lawyer, file, django_capture_on_commit_callbacks
):
    case_access_grant(actor=officer, case=file, grantee=lawyer, action=Action.VIEW_HANDOVER)
    handover = _handover(
        file, officer, lawyer, missing_at_send=["suspect_risk"], override_reason="Custody clock runs out tonight."
    )
    with django_capture_on_commit_callbacks(execute=True):
        pending = document_request(actor=officer, case=file, kind=CHARGING_PACK, source=handover)
    document = CaseDocument.objects.get(pk=pending.pk)
    assert document.status == "ready", document.error
    assert document.title == f"Charging pack for {file.reference}" == pack_title(handover)

    client.force_login(lawyer)
    response = client.get(reverse("casework:document-download", args=[document.pk]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    assert AuditEntry.objects.filter(actor=lawyer, action="disclose").exists()
    assert client.get(reverse("casework:case-detail", args=[file.pk])).status_code == 404

    text = _flat(_text(pdf))
    assert "domain.md" not in text and not re.search(r"\bADR\b", text)  # no internal references
    parts = [
        "Front sheet",
        "MG3 – Report to the CPS for a charging decision",
        "MG5 – Case summary (disclosable)",
        "MG6 – Confidential information",
        "Risk assessment",
        "MG12 – Exhibit list",
        "Incident schedule",
    ]
    positions = [text.find(part) for part in parts]
    assert -1 not in positions and positions == sorted(positions), dict(zip(parts, positions, strict=True))
    for expected in (
        # Front sheet
        file.reference,
        "John Stalker, born 2 April 1985",
        "Johnny S",
        "Jane D. (ex intimate partner of the suspect)",
        "Stalking causing serious alarm or distress (PHA 1997 s.4A(1)(b)(ii))",
        "Red: suspect in custody or a remand decision needed",
        "Priya Shah",
        "National stalking protocol checklist",
        "Missing when the request was sent",
        "Custody clock runs out tonight.",
        # MG3
        "Every charging decision in a stalking or harassment case is for the CPS",
        "Suspect in custody; a remand decision is needed by 18:00.",
        "Not guilty anticipated (NGAP)",
        # MG5
        "texted, followed and watched his former partner",
        "44 contacts on 2 occasions",
        "Her colleague saw him waiting outside her work",
        "He admitted sending the texts but denied following her.",
        "She no longer walks to work alone",
        "Replacement locks, £240.",
        "Restraining order on conviction (drafted)",
        "Restraining order on acquittal (drafted)",
        "Not to contact Jane Doe directly or indirectly.",
        "She wants no contact of any kind, including through his mother.",
        "Not to enter within 200 metres of [withheld].",
        "Wants it changed",
        "She wants the zone to cover her gym as well.",
        "Not to go to Jane Doe's workplace.",
        "She needs this even if he is acquitted.",
        "Pre-charge bail",
        "She asked for a condition not to enter Harborne.",
        # MG6
        "NOT FOR DISCLOSURE",
        "The colleague is reluctant to attend court.",
        "Assessed: measures sought (MG2)",
        "Screens at trial",
        "Independent stalking advocate (ISAC)",
        "previous harassment of another ex-partner in 2019",
        "CCTV from the bus company",
        "14 Apr 2026",
        "She has moved to [withheld]; do not disclose.",
        "Interim Stalking Protection Order (applied for): applied for on 1 March 2026",
        # Risk assessment
        "Bruised wrist when he grabbed her at the bus stop.",
        "Terrified he will find [withheld].",
        "Is the victim very scared?",
        "Stalking and harassment supplementary questions",
        "Fit a video doorbell",
        "PC Shah",
        # MG12 and the schedule
        "PS/1",
        "Screenshots of the 43 texts",
        "OFFICIAL-SENSITIVE",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert "ab" * 32 in text.replace(" ", ""), "the full SHA-256 of the exhibit"
    assert "Waited outside her work, then followed her bus towards [withheld]." in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_mg3_mg6_and_risk_assessment_are_banded_on_every_page_and_the_mg5_is_not(officer, lawyer, file):
    handover = _handover(file, officer, lawyer)
    # A long confidential part: the band must be on every one of its pages, not only the first.
    HandoverPreparation.objects.filter(case=file).update(
        witness_issues="\n\n".join(f"Witness note {n}: she is frightened of giving evidence." for n in range(120))
    )
    pdf, pages = render_pdf(pack_html(handover))
    text = _text(pdf)
    sheets = [sheet for sheet in _pages(text) if sheet.strip()]
    assert len(sheets) == pages
    assert re.search(r"Page 1 of (\d+)", text).group(1) == str(pages)
    assert f"Page {pages} of {pages}" in sheets[-1]

    def first(heading: str) -> int:
        return next(n for n, sheet in enumerate(sheets) if heading in sheet)

    mg3, mg5, mg6, mg12 = (first(h) for h in ("MG3 – Report", "MG5 – Case summary", "MG6 – Confidential", "MG12 –"))
    assert mg12 - mg6 >= 4, "the witness notes run the MG6 over several pages, then the risk assessment follows"
    banded = set(range(mg3, mg5)) | set(range(mg6, mg12))
    for n, sheet in enumerate(sheets):
        assert "OFFICIAL-SENSITIVE" in sheet and file.reference in sheet and f"Page {n + 1} of {pages}" in sheet
        assert ("CONFIDENTIAL – NOT FOR DISCLOSURE TO THE DEFENCE" in _flat(sheet)) == (n in banded), n


def test_a_case_with_no_risk_assessment_or_preparation_says_so_plainly(officer, lawyer, case, victim, suspect):
    handover = _handover(case, officer, lawyer, priority=c.Priority.GREEN, note="")
    pdf, _ = render_pdf(pack_html(handover))
    text = _flat(_text(pdf))
    for expected in (
        "No risk assessment has been completed for this case.",
        "there are no answers to send",
        "No incidents are recorded on the case timeline.",
        "No incidents are recorded on the case.",
        "No exhibits are recorded on the case.",
        "No restraining order on conviction is drafted.",
        "No restraining order on acquittal is drafted.",
        "No Stalking Protection Order has been considered, and no reason is recorded.",
        "No referral to specialist support is recorded.",
        "None proposed",
        "Not offered yet",
        "No note was written.",
        "Page 1 of",
    ):
        assert expected in text, expected
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_victim_not_yet_consulted_on_a_condition_is_said_plainly(officer, lawyer, case, victim, suspect):
    order = ProtectiveOrderFactory(case=case, respondent=suspect, protected_people=[victim])
    ConditionFactory(
        order=order, protected_people=[victim], consultation=oc.ConsultationOutcome.NOT_CONSULTED,
        consulted_on=None, victim_view="",
    )  # fmt: skip
    context = pack_context(_handover(case, officer, lawyer))
    condition = context["mg5"]["restraining_orders"][0]["conditions"][0]
    assert (condition["consulted"], condition["consultation"]) == (False, "Not yet consulted")
    assert condition["protects"] == ["Jane D."]
    text = _flat(_text(render_pdf(pack_html(_handover(case, officer, lawyer)))[0]))
    assert "The victim has not been consulted on this condition." in text


def test_the_front_sheet_lists_the_protocol_checklist_with_what_was_missing_at_send(
    officer, lawyer, case, victim, suspect
):
    from protocol.selectors import protocol_checklist

    items = protocol_checklist(case)
    missing = [item for item in items if item.status == "missing"]
    assert missing, "an empty case has items missing"
    handover = _handover(case, officer, lawyer, missing_at_send=[missing[0].key], override_reason="Remand tonight.")
    front = pack_context(handover)["front"]
    assert [row["title"] for row in front["checklist"]] == [item.title for item in items]
    assert front["checklist_missing"] == len(missing)
    assert [row["title"] for row in front["missing_at_send"]] == [missing[0].title]
    assert front["override_reason"] == "Remand tonight."
    # As the sending service records them: the items themselves, with the facts at the time.
    handover.missing_at_send = [
        {"key": missing[0].key, "title": "As it was worded", "detail": f"At {OLD_ADDRESS}", "blocks_handover": True}
    ]
    handover.save(update_fields=["missing_at_send"])
    assert pack_context(handover)["front"]["missing_at_send"] == [
        {"title": "As it was worded", "detail": "At [withheld]", "blocks": True}
    ]


def test_only_the_latest_completed_assessment_of_each_victim_is_printed(officer, lawyer, file, victim):
    first = file.risk_assessments.get()
    again = _completed_assessment(officer, file, victim)
    risk.risk_assessment_start(actor=officer, case=file, victim=victim, kinds=["dash"])  # a draft: never printed
    assessments = pack_context(_handover(file, officer, lawyer))["risk"]
    assert len(assessments) == 1
    assert assessments[0]["completed_at"] is not None and again.completed_at > first.completed_at
    assert [f["kind"] for f in assessments[0]["forms"]] == ["dash", "stalking_supplementary"]
    dash = assessments[0]["forms"][0]
    rows = [row for section in dash["sections"] for row in section["rows"]]
    assert len(rows) == len(builtin_forms_by_kind()["dash"].questions)
    assert rows[0]["answer"] == "Yes" and rows[1]["answer"] == "No"


def test_a_request_sent_by_a_supervisor_over_missing_items_gets_its_pack(
    client, supervisor, lawyer, file, django_capture_on_commit_callbacks
):
    from protocol.services.preparation import handover_send

    # The MG5 headline is not written yet: a blocking item, so only a supervisor can send, saying why.
    HandoverPreparation.objects.filter(case=file).update(headline="")
    with django_capture_on_commit_callbacks(execute=True):
        handover = handover_send(
            actor=supervisor, case=file, lawyer=lawyer, priority=c.Priority.RED, note="Remand decision needed.",
            override_reason="The custody clock runs out at 18:00.",
        )  # fmt: skip
    handover.refresh_from_db()
    assert handover.pack.kind == CHARGING_PACK and handover.pack.status == "ready", handover.pack.error
    assert handover.missing_at_send, "no crime is recorded on the case: the file is sent with items missing"
    client.force_login(lawyer)
    response = client.get(reverse("casework:document-download", args=[handover.pack.pk]))
    assert response.status_code == 200
    text = _flat(_text(b"".join(response.streaming_content)))
    assert "Missing when the request was sent" in text and "(blocks the handover)" in text
    assert "Sent anyway by a supervisor, because: The custody clock runs out at 18:00." in text
    assert "Remand decision needed." in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_pack_is_read_in_the_same_number_of_queries_however_long_the_file(
    officer, lawyer, file, victim, suspect, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    handover = _handover(file, officer, lawyer)
    order = file.orders.filter(order_type=oc.OrderType.RESTRAINING_ORDER_CONVICTION).get()
    route = file.suspect_routes.get()
    ConditionFactory(order=None, bail=route, protected_people=[victim], wording="Not to enter Harborne.")
    with CaptureQueriesContext(connection) as before:
        pack_context(handover)
    for n in range(5):
        incident_record(
            actor=officer,
            case=file,
            data=IncidentInput(occurred_at=timezone.now() - timedelta(hours=n + 1), channel=Channel.EMAIL),
        )
        ConditionFactory(order=order, protected_people=[victim], wording=f"Condition {n}")
        ConditionFactory(order=None, bail=route, protected_people=[victim], wording=f"Bail condition {n}")
        Evidence.objects.create(
            case=file, exhibit_reference=f"PS/{n + 2}", description="More screenshots", file="evidence/y",
            original_name="x.png", content_type="image/png", size=1, sha256="cd" * 32, uploaded_by=officer,
        )  # fmt: skip
        EvidenceTask.objects.create(
            case=file, description=f"Phone download {n}", due_on=date(2026, 5, 1), created_by=officer
        )
    _completed_assessment(officer, file, victim)
    with django_assert_num_queries(len(before.captured_queries)):
        context = pack_context(handover)
    assert len(context["incidents"]["rows"]) == 7 and len(context["exhibits"]) == 6
    assert len(context["mg5"]["bail"][0]["conditions"]) == 6


def test_the_pack_prints_the_decision_with_its_reason(officer, lawyer, ready_case):
    from orders.models import RestrainingOrderDecision
    from protocol.tests.factories import handover_to

    RestrainingOrderDecision.objects.create(
        case=ready_case, moment="charge", sought=False, reason="She asked that none be sought; he has moved abroad",
        decided_by=officer, decided_at=timezone.now(),
    )  # fmt: skip
    html = pack_html(handover_to(ready_case, lawyer))
    assert "Decision at charge:</strong> not sought: She asked that none be sought; he has moved abroad" in html


def test_the_chronology_prints_identical_contacts_of_a_day_once_and_the_schedule_every_incident(officer, lawyer, file):
    day = timezone.localtime(timezone.now() - timedelta(days=2)).replace(hour=8, minute=0, second=0, microsecond=0)
    for n in range(12):
        incident_record(
            actor=officer,
            case=file,
            data=IncidentInput(occurred_at=day + timedelta(minutes=50 * n), channel=Channel.EMAIL),
        )
    context = pack_context(_handover(file, officer, lawyer))
    chronology, schedule = context["mg5"]["conduct"], context["incidents"]
    (batch,) = [row for row in chronology["rows"] if row["entries"] > 1]
    assert (batch["entries"], batch["count"], batch["occurred_at"], batch["until"]) == (
        12, 12, day, day + timedelta(minutes=550)
    )  # fmt: skip
    assert sum(row["entries"] for row in chronology["rows"]) == chronology["occasions"] + chronology["breaches"]
    # The table adds up to the headline, and tells each incident in the officer's account.
    assert sum(row["count"] or 0 for row in chronology["rows"]) == chronology["contacts"]
    assert "#1: 43 texts in one night saying he knew where she lived." in [row["summary"] for row in chronology["rows"]]
    assert len(schedule["rows"]) == len(chronology["rows"]) + 11  # each of the 12 in full in the schedule
    html = pack_html(_handover(file, officer, lawyer))
    assert "(12 entries in the schedule)" in html and f"{day:%H:%M}–{day + timedelta(minutes=550):%H:%M}" in html
