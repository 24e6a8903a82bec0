"""A world to attack: four cases, each with every kind of record, as the insider tests need them.

- "own": the case of the officer's unit (West Midlands Police, the officer in the case `officer`);
- "sibling": another case of the same unit and the same officer in the case;
- "other_unit": a case of another unit of the same force (its officer `stranger`, supervisor
  `stranger_supervisor`);
- "other_force": a case of a unit of another force (`outsider`, `outsider_supervisor`).

Each case holds a victim with sealed details, a suspect, incidents, evidence and an evidence task, a crime
record, a completed risk assessment with a plan action, an order in force with a condition, a restraining
order sought, a breach, a breach proposal and a notice to the victim, bail with a condition, a search
warrant applied for and one granted, a referral to an advocacy service (with her consent) with a safety
plan item and an incident passed on, an earlier warning notice awaiting a registrar's review, a charging
request with its pack (a real PDF) and a prosecutor's action, an alert; each kit also a finalised case of
the unit due for its retention review, and a concern about an officer's refused attempts (own and
sibling: the stranger, of the same force; other unit: the officer; other force: one of its own). The own
and sibling cases are sent to `lawyer` and referred to `advocate`'s organisation, the others to other
lawyers and organisations.

`Kit` holds the ids by the names the URL templates use ({case}, {order}, ...)."""

from dataclasses import dataclass, field
from datetime import timedelta

KIT_NAMES = ("own", "sibling", "other_unit", "other_force")
SEALED_ADDRESS = "17 Hiddenway Close, Birmingham B15 2TT"
SEALED_PHONE = "07700 900102"


@dataclass
class Kit:
    ids: dict[str, int] = field(default_factory=dict)

    def __getattr__(self, name: str) -> int:
        try:
            return self.__dict__["ids"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class World:
    users: dict
    kits: dict[str, Kit]


def _load_risk_forms() -> None:
    import json

    from risk.models import RiskForm
    from risk.questionnaires import FORMS_DIR

    for path in sorted(FORMS_DIR.glob("*.json")):
        raw = json.loads(path.read_text())
        RiskForm.objects.get_or_create(
            key=raw["key"],
            version=raw["version"],
            defaults={"kind": raw["kind"], "title": raw["title"], "definition": raw},
        )


def _users() -> dict:
    from accounts.choices import Role
    from accounts.tests.factories import ForceFactory, UnitFactory, UserFactory

    wmp = ForceFactory(code="wmp", name="West Midlands Police")
    wyp = ForceFactory(code="wyp", name="West Yorkshire Police")
    unit = UnitFactory(force=wmp, code="stalking-unit", name="Stalking and Harassment Unit")
    other_unit = UnitFactory(force=wmp, code="other-unit", name="Public Protection Unit")
    other_force_unit = UnitFactory(force=wyp, code="wyp-unit", name="Stalking Unit, Leeds")

    def user(username, role, **place):
        return UserFactory(username=username, role=role, first_name=username.title(), last_name="Test", **place)

    return {
        "officer": user("officer", Role.OFFICER, unit=unit),
        "supervisor": user("supervisor", Role.SUPERVISOR, unit=unit),
        "registrar": user("registrar", Role.REGISTRAR, unit=unit),
        "stranger": user("stranger", Role.OFFICER, unit=other_unit),
        "stranger_supervisor": user("stranger_supervisor", Role.SUPERVISOR, unit=other_unit),
        "outsider": user("outsider", Role.OFFICER, unit=other_force_unit),
        "outsider_supervisor": user("outsider_supervisor", Role.SUPERVISOR, unit=other_force_unit),
        "lawyer": user("lawyer", Role.CPS_LAWYER),
        "lawyer2": user("lawyer2", Role.CPS_LAWYER),
        "lawyer3": user("lawyer3", Role.CPS_LAWYER),
        "advocate": user("advocate", Role.ADVOCATE),
        "advocate2": user("advocate2", Role.ADVOCATE),
        "advocate3": user("advocate3", Role.ADVOCATE),
    }


def _kit(officer, lawyer, advocate, n: int, *, concern_about) -> Kit:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.models import AccessConcern
    from accounts.tokens import api_token_issue
    from casework import choices as cw
    from casework.documents import document_render, document_request
    from casework.identifiers import normalise_identifier
    from casework.models import EvidenceTask, PersonIdentifier, SafetyPlanItem, SupportReferral
    from casework.services.evidence import evidence_upload
    from casework.tests.factories import AlertFactory, CaseFactory, IncidentFactory, pass_on
    from orders import choices as oc
    from orders.models import ProtectiveOrder, SuspectRoute
    from orders.tests.factories import (
        BreachFactory,
        BreachProposalFactory,
        ConditionFactory,
        ProtectiveOrderFactory,
        SearchWarrantFactory,
        VictimNoticeFactory,
    )
    from protocol.pack import CHARGING_PACK
    from protocol.tests.factories import handover_to, make_ready, raise_action
    from recording.models import CrimeRecord, LegacyNoticeReview, LegacyWarningNotice
    from risk.models import RiskAssessment

    today = timezone.localdate()
    case = CaseFactory(unit=officer.unit, officer=officer, title=f"World case {n}")
    victim, suspect = make_ready(case, officer=officer)
    for kind, value in ((cw.IdentifierKind.ADDRESS, SEALED_ADDRESS), (cw.IdentifierKind.PHONE, SEALED_PHONE)):
        PersonIdentifier.objects.create(
            person=victim, kind=kind, value=value, normalised=normalise_identifier(kind, value), sealed=True, case=case
        )
    incident = case.incidents.order_by("id").first()
    evidence = evidence_upload(
        actor=officer,
        case=case,
        upload=SimpleUploadedFile("log.txt", b"Her log of his texts.\n", content_type="text/plain"),
        description="The victim's log of his texts",
        incident=incident,
    )
    task = EvidenceTask.objects.create(
        case=case, description="CCTV from the station", due_on=today + timedelta(days=5), created_by=officer
    )
    record = CrimeRecord.objects.get(case=case)
    assessment = RiskAssessment.objects.get(case=case)
    order = ProtectiveOrderFactory(
        case=case, in_force=True, order_type=oc.OrderType.SPO, respondent=suspect, protected_people=[victim]
    )
    condition = ConditionFactory(order=order, protected_people=[victim])
    breach = BreachFactory(
        order=order, condition=condition, incident=IncidentFactory(case=case, victim=victim), recorded_by=officer
    )
    proposal = BreachProposalFactory(condition=condition, incident=IncidentFactory(case=case, victim=victim))
    notice = VictimNoticeFactory(order=order, victim=victim)
    considered = ProtectiveOrder.objects.filter(case=case, status=oc.OrderStatus.CONSIDERED).order_by("id").first()
    restraining_order = ProtectiveOrder.objects.get(case=case, order_type=oc.OrderType.RESTRAINING_ORDER_CONVICTION)
    legacy_notice = LegacyWarningNotice.objects.create(
        case=case,
        recipient=suspect,
        notice_type="harassment_warning",
        issued_on=today - timedelta(days=20),
        issuing_force="West Yorkshire Police",
        late_reason="Issued by another force before he moved here",
        review=LegacyNoticeReview.AWAITING,
        recorded_by=officer,
    )
    route = SuspectRoute.objects.get(case=case)
    bail_condition = ConditionFactory(order=None, bail=route, protected_people=[victim])
    warrant = SearchWarrantFactory(case=case)
    granted = SearchWarrantFactory(case=case, status=oc.WarrantStatus.GRANTED, decided_on=today - timedelta(days=1))
    referral = SupportReferral.objects.create(
        case=case,
        victim=victim,
        service=cw.SupportService.IDVA,
        organisation=advocate.organisation,
        consent_to_share=True,
        referred_on=today - timedelta(days=3),
        recorded_by=officer,
    )
    plan_item = SafetyPlanItem.objects.create(
        case=case, victim=victim, risk="He waits outside work", measure="Change her route", created_by=advocate
    )
    passed_on = pass_on(case, victim, advocate)
    handover = handover_to(case, lawyer, by=officer)
    cps_action = raise_action(handover)
    pack = document_request(actor=officer, case=case, kind=CHARGING_PACK, source=handover)
    handover.pack = pack
    handover.save(update_fields=["pack"])
    document_render(pack.pk)
    alert = AlertFactory(case=case)
    finalised = CaseFactory(
        unit=officer.unit,
        officer=officer,
        title=f"World finalised case {n}",
        stage=cw.CaseStage.FINALISED,
        outcome_code=cw.OutcomeCode.values[0],
        finalised_at=timezone.now() - timedelta(days=3700),
        retention_group=cw.RetentionGroup.values[-1],
        retention_review_on=today - timedelta(days=1),
    )
    now = timezone.now()
    concern = AccessConcern.objects.create(
        user=concern_about,
        force=concern_about.unit.force,
        window_starts_at=now - timedelta(minutes=n),
        window_ends_at=now,
        count=10,
        raised_at=now,
    )
    # An API token of the officer in the case (accounts/tokens.py), for the revoke route's id.
    token, _ = api_token_issue(actor=None, user=officer, name=f"World token {n}", scope="read", after_mfa=True)
    return Kit(
        {
            "api_token": token.pk,
            "case": case.pk,
            "victim": victim.pk,
            "suspect": suspect.pk,
            "incident": incident.pk,
            "evidence": evidence.pk,
            "task": task.pk,
            "record": record.pk,
            "assessment": assessment.pk,
            "action": assessment.plan_actions.get().pk,
            "order": order.pk,
            "considered": considered.pk,
            "restraining_order": restraining_order.pk,
            "legacy_notice": legacy_notice.pk,
            "condition": condition.pk,
            "breach": breach.pk,
            "proposal": proposal.pk,
            "notice": notice.pk,
            "route": route.pk,
            "bail_condition": bail_condition.pk,
            "warrant": warrant.pk,
            "granted": granted.pk,
            "referral": referral.pk,
            "plan_item": plan_item.pk,
            "passed_on": passed_on.pk,
            "handover": handover.pk,
            "cps_action": cps_action.pk,
            "document": pack.pk,
            "alert": alert.pk,
            "finalised": finalised.pk,
            "concern": concern.pk,
        }
    )


def build_world() -> World:
    _load_risk_forms()
    users = _users()
    u = users
    kits = {
        "own": _kit(u["officer"], u["lawyer"], u["advocate"], 1, concern_about=u["stranger"]),
        "sibling": _kit(u["officer"], u["lawyer"], u["advocate"], 2, concern_about=u["stranger"]),
        "other_unit": _kit(u["stranger"], u["lawyer2"], u["advocate2"], 3, concern_about=u["officer"]),
        "other_force": _kit(u["outsider"], u["lawyer3"], u["advocate3"], 4, concern_about=u["outsider_supervisor"]),
    }
    return World(users=users, kits=kits)
