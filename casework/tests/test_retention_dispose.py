"""Disposal after a retention review: real erasure of the case and everything that belongs only to it, in
one transaction, with the decision and the audit trail's metadata kept and the files removed after commit."""

from collections import defaultdict
from datetime import date

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEntry
from casework.choices import PartyRole
from casework.models import Case, Person, RetentionDecision
from casework.services.retention import case_dispose
from casework.tests.factories import CaseFactory
from casework.tests.test_retention import finalise, make_due
from config.errors import InvalidInput, TransitionNotAllowed

# Every kind of record a case can hold, across the apps: a rich case must have all of them.
EXPECTED_TABLES = {
    "casework.case", "casework.caseparty", "casework.caseuserobjectpermission", "casework.incident",
    "casework.incidentbatch", "casework.evidence", "casework.evidencetask", "casework.victimcontact",
    "casework.supportreferral", "casework.safetyplanitem", "casework.passedonincident", "casework.casedocument",
    "casework.timelineevent", "casework.alert", "casework.person", "casework.personidentifier",
    "recording.crimerecord", "risk.riskassessment", "risk.riskplanaction", "orders.protectiveorder",
    "orders.condition", "orders.breach", "orders.breachproposal", "orders.victimnotice", "orders.suspectroute",
    "orders.searchwarrant", "protocol.handoverpreparation", "protocol.handover", "protocol.actionitem",
    "protocol.pleadecision",
}  # fmt: skip


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def rich_case(case, officer, lawyer, advocate):
    """A case with a record of every kind, a victim known only here and a suspect shared with another case."""
    from accounts.policy import Action
    from casework import choices as c
    from casework.models import (
        CaseDocument,
        Evidence,
        EvidenceTask,
        IncidentBatch,
        PassedOnIncident,
        PersonIdentifier,
        SafetyPlanItem,
        VictimContact,
    )  # fmt: skip
    from casework.services.cases import case_access_grant
    from casework.tests.factories import AlertFactory, IncidentFactory
    from orders.models import Condition, ProtectiveOrder
    from orders.tests.factories import (
        BreachFactory,
        BreachProposalFactory,
        CasePartyFactory,
        ProtectiveOrderFactory,
        SearchWarrantFactory,
        VictimNoticeFactory,
    )  # fmt: skip
    from protocol import choices as pc
    from protocol.models import ActionItem, Handover, PleaDecision
    from protocol.tests.factories import make_ready

    victim, suspect = make_ready(case, officer=officer)
    other_case = CaseFactory(unit=case.unit, officer=officer)
    CasePartyFactory(case=other_case, person=suspect, role=PartyRole.SUSPECT)
    PersonIdentifier.objects.create(person=victim, kind="phone", value="07700 900123", normalised="447700900123")
    batch = IncidentBatch.objects.create(case=case, client_key="k1", incident_count=1, created_by=officer)
    incident = IncidentFactory(case=case, victim=victim, batch=batch)
    evidence = Evidence(
        case=case, incident=incident, exhibit_reference="PS/1", description="Texts", original_name="t.png",
        content_type="image/png", size=4, sha256="0" * 64, uploaded_by=officer,
    )  # fmt: skip
    evidence.file.save("t.png", ContentFile(b"\x89PNG"))
    EvidenceTask.objects.create(case=case, description="CCTV", due_on=date.today(), created_by=officer)
    VictimContact.objects.create(
        case=case, victim=victim, contacted_at=timezone.now(), method="phone", summary="Updated", contacted_by=officer
    )
    SafetyPlanItem.objects.create(case=case, victim=victim, risk="Following", measure="Alarm", created_by=advocate)
    accepted = IncidentFactory(case=case, victim=victim)
    PassedOnIncident.objects.create(
        case=case, victim=victim, occurred_at=timezone.now(), channel=c.Channel.TEXT, account="He texted",
        passed_on_by=advocate, status=c.PassedOnStatus.ACCEPTED, incident=accepted,
    )  # fmt: skip
    pdf = CaseDocument(
        case=case, kind="spo_application", title="SPO application", source_type="orders.protectiveorder",
        source_id="1", status=c.DocumentStatus.READY, requested_by=officer,
    )  # fmt: skip
    pdf.file.save("a.pdf", ContentFile(b"%PDF-1.7"))
    AlertFactory(case=case)
    order = ProtectiveOrder.objects.filter(case=case).first()
    ProtectiveOrderFactory(case=case, respondent=suspect, follows=order, protected_people=[victim])
    condition = Condition.objects.filter(order=order).first()
    BreachFactory(case=case, order=order, condition=condition, incident=incident)
    BreachProposalFactory(case=case, condition=condition, incident=accepted)
    VictimNoticeFactory(case=case, order=order, victim=victim)
    SearchWarrantFactory(case=case)
    handover = Handover.objects.create(
        case=case, lawyer=lawyer, priority=pc.Priority.GREEN_PRIORITY, sent_by=officer, sent_at=timezone.now(),
        pack=pdf,
    )  # fmt: skip
    ActionItem.objects.create(handover=handover, case=case, request="Statement", due_on=date.today(), raised_by=lawyer)
    PleaDecision.objects.create(
        handover=handover, case=case, offence_charged=pc.Offence.PHA_S2A, offence_pleaded=pc.Offence.PHA_S2A,
        accepted=True, rationale="Guilty as charged", decided_by=lawyer, decided_at=timezone.now(),
    )  # fmt: skip
    case_access_grant(actor=officer, case=case, grantee=lawyer, action=Action.VIEW_HANDOVER)
    return victim, suspect, other_case, [evidence.file.name, pdf.file.name]


def rows_tied_to(case: Case, people: set[int]) -> dict:
    """Independently of the service: every row that refers, through any foreign key and at any depth, to
    the case or to the given people (the retention decision, which only names the case, aside)."""
    rows: dict = defaultdict(set)
    frontier = [(Case, {case.pk}), (Person, set(people))]
    every = [m for m in apps.get_models(include_auto_created=True) if m is not RetentionDecision]
    while frontier:
        model, pks = frontier.pop()
        new = pks - rows[model]
        if not new:
            continue
        rows[model] |= new
        for other in every:
            for f in other._meta.concrete_fields:
                if f.is_relation and f.related_model is model:
                    found = set(other._base_manager.filter(**{f"{f.name}__in": new}).values_list("pk", flat=True))
                    if found:
                        frontier.append((other, found))
    return rows


@pytest.fixture
def disposable(case, officer, lawyer, advocate, risk_forms):
    victim, suspect, other_case, files = rich_case(case, officer, lawyer, advocate)
    finalise(case, officer)
    make_due(case)
    return case, victim, suspect, other_case, files


def test_disposal_erases_everything_that_belongs_to_the_case(registrar, disposable, django_capture_on_commit_callbacks):
    case, victim, suspect, other_case, files = disposable
    before = rows_tied_to(case, {victim.pk})
    assert EXPECTED_TABLES <= {m._meta.label_lower for m, pks in before.items() if pks}
    storage = Case._meta.apps.get_model("casework", "Evidence")._meta.get_field("file").storage
    audit_rows = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = case_dispose(actor=registrar, case=case, reason="No remaining policing purpose", confirmed=True)
    assert all(storage.exists(name) for name in files)  # not before the commit
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in files)

    for model, pks in before.items():
        assert not model._base_manager.filter(pk__in=pks).exists(), model._meta.label
    assert rows_tied_to(case, {victim.pk}) == {Case: {case.pk}, Person: {victim.pk}}  # nothing refers to them
    assert Person.objects.filter(pk=suspect.pk).exists()  # still in another case
    assert other_case.parties.filter(person=suspect).exists()

    decision.refresh_from_db()
    assert decision.case_id is None and decision.case_reference == case.reference
    assert decision.decision == "dispose" and decision.reason == "No remaining policing purpose"

    assert AuditEntry.objects.count() > audit_rows  # nothing erased from the audit trail, only added
    erased = AuditEntry.objects.filter(action="erase")
    for label in ("casework.case", "casework.incident", "casework.person", "orders.breach", "protocol.pleadecision"):
        assert erased.filter(object_type=label).exists(), label
    assert erased.filter(object_type="casework.person", object_id=str(victim.pk)).exists()
    assert not erased.filter(object_type="casework.person", object_id=str(suspect.pk)).exists()
    assert all(row.changes == [] for row in erased.exclude(detail__startswith="disposed"))
    disposal = erased.get(object_type="casework.case", detail__startswith="disposed")
    assert case.reference in disposal.detail and "No remaining policing purpose" in disposal.detail
    assert disposal.actor == registrar
    assert audit.verify_chain() is None


@pytest.mark.parametrize(("reason", "confirmed", "field"), [("", True, "reason"), ("No purpose", False, "confirmed")])
def test_it_refuses_disposal_without_a_reason_or_confirmation(registrar, disposable, reason, confirmed, field):
    case = disposable[0]
    with pytest.raises(InvalidInput) as refused:
        case_dispose(actor=registrar, case=case, reason=reason, confirmed=confirmed)
    assert field in refused.value.errors
    assert Case.objects.filter(pk=case.pk).exists() and not RetentionDecision.objects.exists()


def test_it_refuses_disposing_of_a_case_not_finalised_or_not_due(registrar, officer, case):
    with pytest.raises(TransitionNotAllowed, match="finalised"):
        case_dispose(actor=registrar, case=case, reason="x", confirmed=True)
    finalise(case, officer)
    with pytest.raises(TransitionNotAllowed, match="not due"):
        case_dispose(actor=registrar, case=case, reason="x", confirmed=True)
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.parametrize("who", ["officer", "supervisor", "stranger"])
def test_only_the_registrar_may_dispose(cast, officer, case, who):
    make_due(finalise(case, officer))
    with pytest.raises(InvalidInput):
        case_dispose(actor=cast[who], case=case, reason="x", confirmed=True)
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_case_that_shares_a_record_with_another_case_is_not_disposed(registrar, officer, case):
    from casework.tests.factories import IncidentFactory
    from orders.models import Breach
    from orders.tests.factories import BreachFactory, ProtectiveOrderFactory

    make_due(finalise(case, officer))
    incident = IncidentFactory(case=case)
    other_order = ProtectiveOrderFactory(case=CaseFactory(unit=case.unit, officer=officer), in_force=True)
    BreachFactory(order=other_order, case=other_order.case, incident=incident)  # a breach of another case
    with pytest.raises(TransitionNotAllowed, match="another case"):
        case_dispose(actor=registrar, case=case, reason="x", confirmed=True)
    assert Case.objects.filter(pk=case.pk).exists() and Breach.objects.exists()


def test_the_review_page_and_api_dispose(client, api, registrar, officer):
    from casework.tests.factories import IncidentFactory

    first = make_due(finalise(CaseFactory(unit=officer.unit, officer=officer), officer))
    second = make_due(finalise(CaseFactory(unit=officer.unit, officer=officer), officer))
    IncidentFactory(case=first)
    client.force_login(registrar)
    url = reverse("casework:retention-review", args=[first.pk])
    unconfirmed = client.post(url, {"decision": "dispose", "reason": "No purpose"})
    assert unconfirmed.status_code == 400 and "no remaining policing purpose" in unconfirmed.content.decode()
    done = client.post(url, {"decision": "dispose", "reason": "No purpose", "confirmed": "on"})
    assert done.status_code == 302 and not Case.objects.filter(pk=first.pk).exists()

    response = api.as_user(registrar).post(
        f"/api/v1/retention/cases/{second.pk}/", {"decision": "dispose", "reason": "No purpose"}, format="json"
    )
    assert response.status_code == 400 and "confirmed" in response.json()["errors"]
    response = api.as_user(registrar).post(
        f"/api/v1/retention/cases/{second.pk}/",
        {"decision": "dispose", "reason": "No purpose", "confirmed": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["case_id"] is None and response.json()["case_reference"] == second.reference
    assert not Case.objects.filter(pk=second.pk).exists()
