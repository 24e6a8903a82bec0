"""The advocate's pages: her referred victims and the victim-safe view of a case. What it shows, and,
explicitly, what it must never show; who gets 404; the audit; the forms; the query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AuditAction
from accounts.models import AuditEntry
from casework.choices import Channel, IdentifierKind, PartyRole, PassedOnStatus, ReferralOutcome
from casework.models import (
    CaseParty,
    Evidence,
    Incident,
    PassedOnIncident,
    PersonIdentifier,
    SafetyPlanItem,
    SupportReferral,
    TimelineEvent,
    VictimContact,
)
from casework.services import care
from casework.tests import test_care_services as shared
from casework.tests.factories import CaseFactory, IncidentFactory, PersonFactory
from orders import choices as oc
from orders.tests.factories import ConditionFactory, ProtectiveOrderFactory, SuspectRouteFactory
from risk.choices import AssessmentStatus, Grade
from risk.models import RiskAssessment

# The shared fixtures (a victim referred to the advocate's organisation, another victim of the case).
victim, other_victim, referral, other_advocate, refer = (
    shared.victim, shared.other_victim, shared.referral, shared.other_advocate, shared.refer,
)  # fmt: skip

SEALED_ADDRESS = "14 Hidden Lane, Sutton Coldfield B73 6AA"
ZONE_ADDRESS = "22 Quiet Close, Harborne B17 9QQ"
NARRATIVE = "Intelligence: he is known to carry a knife (source 4471)."
RISK_DETAIL = "He said he would kill her if she left"


def _identifier(person, kind, value, *, sealed=False, case=None):
    return PersonIdentifier.objects.create(
        person=person, kind=kind, value=value, normalised=value.lower(), sealed=sealed, case=case
    )


@pytest.fixture
def full_case(case, victim, other_victim, referral, advocate, officer):
    """A case with everything the police hold, some of which the advocate may see."""
    suspect = PersonFactory(first_name="John", last_name="Stalker")
    CaseParty.objects.create(case=case, person=suspect, role=PartyRole.SUSPECT)
    _identifier(suspect, IdentifierKind.PHONE, "07700 900999")
    _identifier(victim, IdentifierKind.PHONE, "07700 900123")
    _identifier(victim, IdentifierKind.ADDRESS, SEALED_ADDRESS, sealed=True, case=case)
    IncidentFactory(case=case, victim=victim, channel=Channel.PHONE_CALL, count=7, narrative=NARRATIVE)
    IncidentFactory(case=case, victim=other_victim, channel=Channel.LETTER, narrative="Olivia's letter")
    order = ProtectiveOrderFactory(case=case, respondent=suspect, in_force=True, protected_people=[victim])
    ConditionFactory(
        order=order,
        kind=oc.ConditionKind.EXCLUSION_ZONE,
        wording=f"Not to enter the area within 200 metres of {ZONE_ADDRESS}.",
        zone_address=ZONE_ADDRESS,
        zone_radius_m=200,
        protected_people=[victim],
    )
    ProtectiveOrderFactory(
        case=case, respondent=suspect, order_type=oc.OrderType.SPO, status=oc.OrderStatus.CONSIDERED,
        protected_people=[victim], not_pursued_reason="",
    )  # fmt: skip
    bail = SuspectRouteFactory(case=case, suspect=suspect, bail=True)
    ConditionFactory(order=None, bail=bail, wording="Not to contact Jane Doe.", protected_people=[victim])
    ConditionFactory(order=None, bail=bail, wording="Not to contact Olivia Otherly.", protected_people=[other_victim])
    RiskAssessment.objects.create(
        case=case,
        victim=victim,
        status=AssessmentStatus.COMPLETED,
        grade=Grade.HIGH,
        answers={"threats_to_kill": {"answer": "yes", "details": RISK_DETAIL}},
        assessor=officer,
        completed_at=timezone.now() - timedelta(days=2),
    )
    VictimContact.objects.create(
        case=case, victim=victim, contacted_at=timezone.now() - timedelta(days=1), method="phone",
        summary="Told her about the arrest", next_update_due=timezone.localdate() + timedelta(days=4),
        contacted_by=officer,
    )  # fmt: skip
    Evidence.objects.create(
        case=case, exhibit_reference="PS/1", description="Screenshots of the threats", file="x.pdf",
        original_name="x.pdf", content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by=officer,
    )  # fmt: skip
    care.safety_plan_item_add(
        actor=advocate, case=case, victim_id=victim.pk, risk="He waits outside her work", measure="Panic alarm"
    )
    item = care.passed_on_record(
        actor=advocate, case=case, victim_id=victim.pk, occurred_at=timezone.now() - timedelta(hours=3),
        channel=Channel.TEXT, count=2, account="Two texts at midnight",
    )  # fmt: skip
    PassedOnIncident.objects.filter(pk=item.pk).update(
        status=PassedOnStatus.DECLINED, decline_reason="Already recorded as incident 4", decided_by=officer,
        decided_at=timezone.now(),
    )  # fmt: skip
    return case


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("casework:care-case", args=[case.pk]))


def test_the_advocate_sees_her_referred_victims_safe_view(client, advocate, full_case, victim):
    body = _page(client, advocate, full_case).content.decode()
    for shown in [
        full_case.reference,
        "Jane Doe",
        "Priya Shah",  # the officer in the case
        "Stalking and Harassment Unit",
        "John Stalker",  # the suspect's name, and only that
        "07700 900123",  # her unsealed phone
        "Phone call",
        "High",
        "Not to contact Jane Doe.",
        "Panic alarm",
        "Two texts at midnight",
        "Already recorded as incident 4",  # why the officer declined
        "Restraining order",
    ]:
        assert shown in body, shown
    assert (timezone.localdate() + timedelta(days=4)).strftime("%-d %b %Y") in body  # next update due


def test_the_safe_view_never_shows_what_she_must_not_see(client, advocate, full_case):
    body = _page(client, advocate, full_case).content.decode()
    for hidden in [
        "Olivia",  # another victim of the same case, her incidents and her bail condition
        SEALED_ADDRESS,
        "Hidden Lane",
        ZONE_ADDRESS,
        "Quiet Close",
        NARRATIVE,
        "knife",
        RISK_DETAIL,
        "threats_to_kill",
        "07700 900999",  # the suspect's phone
        "Screenshots of the threats",  # evidence
        "PS/1",
        "Told her about the arrest",  # the police's contact notes
        "Stalking protection order",  # only considered by the police
    ]:
        assert hidden not in body, hidden
    assert "Withheld" in body
    assert body.count("app-care-incident") == 1  # hers; not Olivia's letter


def test_it_lists_her_referred_victims(client, advocate, full_case, victim):
    client.force_login(advocate)
    response = client.get(reverse("casework:care-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Jane Doe" in body and full_case.reference in body and "Olivia" not in body
    assert AuditEntry.objects.filter(action=AuditAction.CONSULT, object_type="casework.person").exists()


def test_the_navigation_offers_referred_victims_to_advocates_only(client, advocate, officer):
    client.force_login(advocate)
    assert "Referred victims" in client.get("/", follow=True).content.decode()  # her home is that list
    client.force_login(officer)
    assert "Referred victims" not in client.get("/").content.decode()


def test_the_view_is_audited(client, advocate, full_case, victim):
    _page(client, advocate, full_case)
    case_row = AuditEntry.objects.get(action=AuditAction.CONSULT, object_type="casework.case")
    assert (case_row.actor, case_row.object_id) == (advocate, str(full_case.pk))
    people_row = AuditEntry.objects.get(action=AuditAction.CONSULT, object_type="casework.person")
    assert people_row.detail.endswith(f"ids={victim.pk}")


@pytest.mark.parametrize("change", ["other_org", "ended", "no_consent", "declined", "another_case"])
def test_it_answers_404_when_she_is_not_referred_to_this_advocate(
    client, advocate, other_advocate, case, victim, change
):
    user = other_advocate if change == "other_org" else advocate
    target = case
    if change == "another_case":
        refer(case, victim, advocate.organisation)
        target = CaseFactory()
    else:
        refer(
            case,
            victim,
            advocate.organisation,
            consent=change != "no_consent",
            outcome=ReferralOutcome.DECLINED if change == "declined" else ReferralOutcome.REFERRED,
            ended_on=timezone.localdate() if change == "ended" else None,
        )
    assert _page(client, user, target).status_code == 404


def test_the_police_use_their_own_pages(client, officer, supervisor, full_case):
    assert _page(client, officer, full_case).status_code == 404
    assert _page(client, supervisor, full_case).status_code == 404


def test_the_advocate_gets_404_on_every_police_page_of_the_case(client, advocate, full_case):
    client.force_login(advocate)
    for path in [
        f"/cases/{full_case.pk}/",
        f"/cases/{full_case.pk}/contacts/",
        f"/cases/{full_case.pk}/evidence/",
        f"/risk/cases/{full_case.pk}/",
        f"/recording/cases/{full_case.pk}/",
        f"/protocol/cases/{full_case.pk}/handover/",
        f"/api/v1/cases/{full_case.pk}/",
        f"/api/v1/cases/{full_case.pk}/timeline/",
    ]:
        assert client.get(path).status_code == 404, path


def test_the_query_count_does_not_grow_with_the_case(client, advocate, full_case, victim, django_assert_num_queries):
    client.force_login(advocate)
    url = reverse("casework:care-case", args=[full_case.pk])
    client.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(10):
        IncidentFactory(case=full_case, victim=victim, channel=Channel.EMAIL)
        care.safety_plan_item_add(actor=advocate, case=full_case, victim_id=victim.pk, risk=f"r{n}", measure="m")
        care.passed_on_record(
            actor=advocate, case=full_case, victim_id=victim.pk, occurred_at=timezone.now() - timedelta(hours=1),
            channel=Channel.TEXT, count=1, account=f"a{n}",
        )  # fmt: skip
        order = ProtectiveOrderFactory(case=full_case, in_force=True, protected_people=[victim])
        ConditionFactory(order=order, protected_people=[victim])
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("app-care-incident") == 11


# --- The forms -----------------------------------------------------------------------------------


def test_she_adds_a_safety_measure_and_marks_it_done(client, advocate, case, victim, referral):
    client.force_login(advocate)
    response = client.post(
        reverse("casework:care-safety-plan-add", args=[case.pk]),
        {"plan-victim_id": victim.pk, "plan-risk": "He follows her home", "plan-measure": "Change her route"},
    )
    assert response.status_code == 302
    item = SafetyPlanItem.objects.get()
    assert (item.victim, item.risk, item.created_by) == (victim, "He follows her home", advocate)
    response = client.post(reverse("casework:care-safety-plan-done", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    again = client.post(reverse("casework:care-safety-plan-done", args=[item.pk]))
    assert again.status_code == 409
    assert "already marked done" in again.content.decode()


def test_a_refused_measure_comes_back_with_its_errors(client, advocate, case, victim, referral):
    client.force_login(advocate)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("casework:care-safety-plan-add", args=[case.pk]),
        {"plan-victim_id": victim.pk, "plan-risk": "r", "plan-measure": "m", "plan-review_on": past},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and "The review date must be today or later" in body
    assert not SafetyPlanItem.objects.exists()


def test_she_passes_on_an_incident_for_the_officer(client, advocate, case, victim, referral):
    client.force_login(advocate)
    when = (timezone.localtime() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("casework:care-passed-on", args=[case.pk]),
        {
            "passed-victim_id": victim.pk,
            "passed-occurred_at": when,
            "passed-channel": Channel.SOCIAL_MEDIA,
            "passed-count": 4,
            "passed-account": "Four messages on Instagram",
        },
    )
    assert response.status_code == 302
    item = PassedOnIncident.objects.get()
    assert (item.channel, item.count, item.status) == (Channel.SOCIAL_MEDIA, 4, PassedOnStatus.AWAITING)
    assert not Incident.objects.exists() and not TimelineEvent.objects.exists()
    body = client.get(reverse("casework:care-case", args=[case.pk])).content.decode()
    assert "Four messages on Instagram" in body and "Awaiting the officer" in body


def test_the_forms_cannot_name_another_victim(client, advocate, case, victim, other_victim, referral):
    client.force_login(advocate)
    response = client.post(
        reverse("casework:care-passed-on", args=[case.pk]),
        {
            "passed-victim_id": other_victim.pk,
            "passed-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "passed-channel": Channel.TEXT,
            "passed-count": 1,
            "passed-account": "x",
        },
    )
    assert response.status_code == 400
    assert not PassedOnIncident.objects.exists()
    assert "Olivia" not in response.content.decode()


def test_an_advocate_of_another_organisation_cannot_mark_her_measure_done(
    client, advocate, other_advocate, case, victim, referral
):
    item = care.safety_plan_item_add(actor=advocate, case=case, victim_id=victim.pk, risk="r", measure="m")
    client.force_login(other_advocate)
    assert client.post(reverse("casework:care-safety-plan-done", args=[item.pk])).status_code == 404
    SupportReferral.objects.filter(pk=referral.pk).update(ended_on=timezone.localdate())
    client.force_login(advocate)
    assert client.post(reverse("casework:care-safety-plan-done", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.done_on is None
