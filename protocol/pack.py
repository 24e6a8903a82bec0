"""The charging pack sent to the CPS with a charging request (domain.md §12 item 11), generated as a PDF
by casework/documents.py when the officer sends the request (protocol.services.preparation.handover_send).

One document, in parts: the front sheet with the protocol checklist, the MG3 (the request), the MG5
(disclosable to the defence and the court), the MG6 (confidential, banded on every page), the risk
assessment, the MG12 exhibit list and the schedule of incidents. Everything a CPS lawyer holding
Action.VIEW_HANDOVER may read; nothing of the victim's whereabouts: no address of a victim and no sealed
detail is ever printed (exclusion-zone addresses included), and victims are named by first name and
initial on the front sheet."""

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from casework.choices import Behaviour, Channel, PartyRole, Place, Threat
from casework.models import Case, CaseParty, Evidence, EvidenceTask, Incident, SupportReferral
from casework.redaction import WITHHELD, Redactor, victim_redactor
from orders import choices as oc
from orders.documents import course_of_conduct
from orders.models import Breach, ProtectiveOrder, SuspectRoute
from orders.restraining_orders import latest_decisions
from protocol import checklist
from protocol import choices as c
from protocol.models import Handover, HandoverPreparation
from protocol.selectors import protocol_checklist
from recording.models import CrimeRecord
from risk import questionnaires
from risk.choices import AssessmentStatus
from risk.models import RiskAssessment

CHARGING_PACK = "charging_pack"
RESTRAINING_ORDER_TYPES = (oc.OrderType.RESTRAINING_ORDER_CONVICTION, oc.OrderType.RESTRAINING_ORDER_ACQUITTAL)
ANSWER_LABELS = {
    questionnaires.YES: "Yes",
    questionnaires.NO: "No",
    questionnaires.NOT_KNOWN: "Not known",
    questionnaires.DECLINED: "Declined to answer",
}
FORM_ORDER = {kind: n for n, kind in enumerate(questionnaires.FORM_KINDS)}
STATUS_LABELS = {checklist.MET: "Met", checklist.MISSING: "Missing", checklist.NOT_APPLICABLE: "Not applicable"}
DG6 = (
    "Every charging decision in a stalking or harassment case is for the CPS (Director's Guidance on Charging, "
    "6th edition, Annex 1): the police may not charge these offences."
)


def _chronology(conduct: dict) -> dict:
    """The MG5's chronology prints each incident once at most: identical contacts on one day (same
    channel, same words) are one row with their times and total count, since every incident is printed
    in full in the incident schedule; a breach always has its own row. 60 e-mails a day for a year was
    20 pages of the same line."""
    rows: list[dict] = []
    for row in conduct["rows"]:
        last = rows[-1] if rows else None
        if (
            last is not None
            and not row["is_breach"]
            and not last["is_breach"]
            and (last["occurred_at"].date(), last["channel"], last["summary"])
            == (row["occurred_at"].date(), row["channel"], row["summary"])
        ):
            last["count"] += row["count"]
            last["entries"] += 1
            last["until"] = row["occurred_at"]
        else:
            rows.append(row | {"entries": 1, "until": None})
    return conduct | {"rows": rows}


def pack_title(handover: Handover) -> str:
    return f"Charging pack for {handover.case.reference}"


def pack_html(handover: Handover) -> str:
    return render_to_string("protocol/pack/charging_pack.html", pack_context(handover))


def pack_context(handover: Handover) -> dict:
    """Plain data for the template, every free text already redacted: the template gets no model to
    reach a victim's details through."""
    handover = Handover.objects.select_related("case__unit__force", "case__officer", "sent_by", "lawyer").get(
        pk=handover.pk
    )
    case = handover.case
    preparation = HandoverPreparation.objects.filter(case=case).first()
    parties = list(
        CaseParty.objects.filter(case=case)
        .select_related("person")
        .prefetch_related("person__aliases")
        .order_by("role", "added_at", "id")
    )
    victims = [p.person for p in parties if p.role == PartyRole.VICTIM]
    orders = list(
        ProtectiveOrder.objects.filter(case=case)
        .select_related("respondent")
        .prefetch_related("conditions__protected_people")
        .order_by("created_at", "id")
    )
    routes = list(
        SuspectRoute.objects.filter(case=case)
        .select_related("suspect")
        .prefetch_related("conditions__protected_people", "extensions")
        .order_by("occurred_on", "id")
    )
    conditions = [cond for order in orders for cond in order.conditions.all()]
    conditions += [cond for route in routes for cond in route.conditions.all()]
    redact = victim_redactor(case, extra=[cond.zone_address for cond in conditions])
    initials = {victim.pk: _first_name_and_initial(victim) for victim in victims}
    assessments = _latest_assessments(case, victims)
    return {
        "reference": case.reference,
        "prepared_at": timezone.localtime(),
        "withheld": WITHHELD,
        "front": _front_sheet(handover, case, preparation, parties, initials, redact),
        "mg3": _mg3(handover, case, preparation, redact),
        "mg5": _mg5(case, preparation, orders, routes, initials, redact),
        "mg6": _mg6(case, preparation, orders, assessments, initials, redact),
        "risk": [_assessment(a, initials, redact) for a in assessments],
        "exhibits": _exhibits(case, redact),
        "incidents": _incidents(case, initials, redact),
    }


# --- Front sheet and MG3 -------------------------------------------------------------------------------


def _first_name_and_initial(person) -> str:
    initial = f" {person.last_name.strip()[0]}." if person.last_name.strip() else ""
    return f"{person.first_name}{initial}".strip()


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _offences(preparation: HandoverPreparation | None) -> list[str]:
    labels = dict(c.Offence.choices)
    return [labels.get(value, value) for value in (preparation.offences if preparation else [])]


def _front_sheet(handover, case, preparation, parties, initials, redact: Redactor) -> dict:
    items = protocol_checklist(case)
    titles = {item.key: item.title for item in items}
    missing_at_send = []
    for entry in handover.missing_at_send or []:
        # As protocol.services.preparation records them: the items themselves (a bare key is read too).
        entry = entry if isinstance(entry, dict) else {"key": str(entry)}
        key = entry.get("key", "")
        missing_at_send.append(
            {
                "title": entry.get("title") or titles.get(key, key),
                "detail": redact(entry.get("detail", "")),
                "blocks": bool(entry.get("blocks_handover")),
            }
        )
    suspects = [
        {
            "name": str(p.person),
            "aliases": sorted(a.name for a in p.person.aliases.all()),
            "date_of_birth": p.person.date_of_birth,
            "approximate": p.person.date_of_birth_is_approximate,
        }
        for p in parties
        if p.role == PartyRole.SUSPECT
    ]
    victims = [
        {"name": initials[p.person_id], "relationship": p.get_relationship_to_suspect_display()}
        for p in parties
        if p.role == PartyRole.VICTIM
    ]
    return {
        "title": case.title,
        "force": case.unit.force.name,
        "unit": case.unit.name,
        "officer": _name(case.officer),
        "stage": case.get_stage_display(),
        "flags": [
            label
            for flag, label in (
                (case.is_stalking, "Stalking"),
                (case.is_harassment, "Harassment"),
                (case.is_domestic_abuse, "Domestic abuse"),
                (case.is_vulnerable_victim, "Vulnerable victim"),
                (case.is_repeat_victim, "Repeat victim"),
                (case.is_repeat_suspect, "Repeat suspect"),
            )
            if flag
        ],
        "suspects": suspects,
        "victims": victims,
        "offences": _offences(preparation),
        "priority": handover.get_priority_display(),
        "is_red": handover.priority == c.Priority.RED,
        "sent_by": _name(handover.sent_by),
        "sent_at": timezone.localtime(handover.sent_at),
        "lawyer": _name(handover.lawyer),
        "status": handover.get_status_display(),
        "checklist": [
            {
                "title": item.title,
                "status": item.status,
                "status_label": STATUS_LABELS.get(item.status, item.status),
                "detail": redact(item.detail),
                "protocol_ref": item.protocol_ref,
                "blocks": item.blocks_handover,
            }
            for item in items
        ],
        "checklist_missing": len(checklist.missing_items(items)),
        "missing_at_send": missing_at_send,
        "override_reason": redact(handover.override_reason),
    }


def _mg3(handover, case, preparation, redact: Redactor) -> dict:
    crimes = CrimeRecord.objects.filter(case=case).order_by("-is_principal", "recorded_at", "id")
    return {
        "offences": _offences(preparation),
        "note": redact(handover.note),
        "priority": handover.get_priority_display(),
        "anticipated_plea": preparation.get_anticipated_plea_display() if preparation else "Not known",
        "crimes": [
            {
                "number": crime.crime_number,
                "classification": crime.get_classification_display(),
                "offence": crime.get_offence_display(),
                "principal": crime.is_principal,
            }
            for crime in crimes
        ],
        "dg6": DG6,
    }


# --- MG5 (disclosable) ---------------------------------------------------------------------------------


def _conditions(conditions, initials, redact: Redactor) -> list[dict]:
    return [
        {
            "wording": redact(cond.wording),
            "kind": cond.get_kind_display(),
            "rationale": redact(cond.rationale),
            "starts_on": cond.starts_on,
            "ends_on": cond.ends_on,
            "protects": [initials.get(p.pk, str(p)) for p in cond.protected_people.all()],
            "consultation": cond.get_consultation_display(),
            "consulted": cond.consultation != oc.ConsultationOutcome.NOT_CONSULTED,
            "consulted_on": cond.consulted_on,
            "victim_view": redact(cond.victim_view),
        }
        for cond in sorted(conditions, key=lambda x: (x.created_at, x.pk))
    ]


def _mg5(case, preparation, orders, routes, initials, redact: Redactor) -> dict:
    p = preparation
    restraining = [
        {
            "type": order.get_order_type_display(),
            "status": order.get_status_display(),
            "court": order.court,
            "conditions": _conditions(order.conditions.all(), initials, redact),
        }
        for order in orders
        if order.order_type in RESTRAINING_ORDER_TYPES
    ]
    sought = {order.order_type for order in orders if order.order_type in RESTRAINING_ORDER_TYPES}
    bail = [
        {
            "route": route.get_route_display(),
            "suspect": str(route.suspect),
            "occurred_on": route.occurred_on,
            "bail_start": route.bail_start,
            "bail_end": max([route.bail_end, *[e.new_end for e in route.extensions.all()]], key=_date_key),
            "ended_on": route.bail_ended_on,
            "is_bail": route.is_bail,
            "victim_views": redact(route.victim_views),
            "conditions": _conditions(route.conditions.all(), initials, redact),
        }
        for route in routes
    ]
    return {
        "headline": redact(p.headline) if p else "",
        "key_witnesses": redact(p.key_witnesses) if p else "",
        "interview_summary": redact(p.interview_summary) if p else "",
        "anticipated_plea": p.get_anticipated_plea_display() if p else "Not known",
        "compensation": redact(p.compensation) if p else "",
        "vps": p.get_vps_display() if p else c.VpsStatus.NOT_OFFERED.label,
        "vps_on": p.vps_on if p else None,
        "vps_summary": redact(p.vps_summary) if p else "",
        "conduct": _chronology(course_of_conduct(case.pk, redact)),
        "restraining_orders": restraining,
        "restraining_missing": [label for value, label in _restraining_labels() if value not in sought],
        "restraining_decisions": [
            {
                "moment": d.get_moment_display(),
                "sought": d.sought,
                "order": str(d.order) if d.order else "",
                "reason": redact(d.reason),
            }
            for d in latest_decisions(case).values()
        ],
        "bail": bail,
    }


def _restraining_labels() -> list[tuple[str, str]]:
    labels = dict(oc.OrderType.choices)
    return [(value, labels[value]) for value in RESTRAINING_ORDER_TYPES]


def _date_key(value):
    return value.toordinal() if value else 0


# --- MG6 (confidential) --------------------------------------------------------------------------------


def _mg6(case, preparation, orders, latest: list[RiskAssessment], initials, redact: Redactor) -> dict:
    p = preparation
    spo_orders = [
        {
            "type": order.get_order_type_display(),
            "status": order.get_status_display(),
            "applied_on": order.applied_on,
            "granted_on": order.granted_on,
            "expires_on": order.expires_on,
            "reason": redact(order.not_pursued_reason or order.refused_reason),
        }
        for order in orders
        if order.order_type in oc.SPO_TYPES
    ]
    tasks = EvidenceTask.objects.filter(case=case, done_at__isnull=True).order_by("due_on", "id")
    today = timezone.localdate()
    referrals = SupportReferral.objects.filter(case=case).order_by("referred_on", "id")
    return {
        "witness_issues": redact(p.witness_issues) if p else "",
        "special_measures": p.get_special_measures_display() if p else c.SpecialMeasures.NOT_ASSESSED.label,
        "special_measures_detail": redact(p.special_measures_detail) if p else "",
        "suspect_risk": redact(p.suspect_risk) if p else "",
        "confidential_notes": redact(p.confidential_notes) if p else "",
        "risk_results": [
            {
                "victim": initials.get(a.victim_id, ""),
                "grade": a.get_grade_display(),
                "yes_count": a.yes_count,
                "completed_at": timezone.localtime(a.completed_at) if a.completed_at else None,
                "marac_required": a.marac_referral_required,
                "marac_met": [m.get("reason") or m.get("name", "") for m in a.marac_criteria if m.get("met")],
            }
            for a in latest
        ],
        "marac_referrals": [r.referred_on for r in referrals if r.service == "marac"],
        "referrals": [
            {
                "victim": initials.get(r.victim_id, ""),
                "service": r.get_service_display(),
                "outcome": r.get_outcome_display(),
                "on": r.referred_on,
                "note": redact(r.note),
            }
            for r in referrals
        ],
        "evidence_outstanding": [
            {"description": redact(t.description), "due_on": t.due_on, "overdue": t.due_on < today} for t in tasks
        ],
        "spo_orders": spo_orders,
        "spo_not_sought_reason": redact(p.spo_not_sought_reason) if p else "",
    }


# --- Risk assessment -----------------------------------------------------------------------------------


def _latest_assessments(case: Case, victims) -> list[RiskAssessment]:
    """The latest completed (or signed-off) assessment of each victim of the case."""
    done = (
        RiskAssessment.objects.filter(case=case, status__in=[AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED_OFF])
        .select_related("assessor", "signed_off_by", "victim")
        .prefetch_related("forms", "plan_actions")
        .order_by("-completed_at", "-id")
    )
    latest: dict[int, RiskAssessment] = {}
    for assessment in done:
        latest.setdefault(assessment.victim_id, assessment)
    order = {victim.pk: n for n, victim in enumerate(victims)}
    return sorted(latest.values(), key=lambda a: order.get(a.victim_id, len(order)))


def _assessment(assessment: RiskAssessment, initials, redact: Redactor) -> dict:
    forms = []
    for form in sorted(assessment.forms.all(), key=lambda f: FORM_ORDER.get(f.kind, 99)):
        definition = questionnaires.parse_form(form.definition)
        sections = []
        for section in definition.sections:
            rows = []
            for q in definition.questions:
                if q.section != section.key:
                    continue
                saved = assessment.answers.get(q.key, {})
                rows.append(
                    {
                        "number": q.number,
                        "text": q.text,
                        "answer": ANSWER_LABELS.get(saved.get("answer", ""), "Not answered"),
                        "is_yes": saved.get("answer") == questionnaires.YES,
                        "details": redact(saved.get("details", "")),
                        "high_risk": q.high_risk,
                    }
                )
            if rows:
                sections.append({"title": section.title, "rows": rows})
        forms.append({"kind": form.kind, "title": definition.title, "version": form.version, "sections": sections})
    return {
        "victim": initials.get(assessment.victim_id, ""),
        "forms": forms,
        "yes_count": assessment.yes_count,
        "actuarial_grade": assessment.get_actuarial_grade_display(),
        "judgement_grade": assessment.get_judgement_grade_display() if assessment.judgement_grade else "",
        "judgement_rationale": redact(assessment.judgement_rationale),
        "grade": assessment.get_grade_display(),
        "police_callouts_12m": assessment.police_callouts_12m,
        "marac_required": assessment.marac_referral_required,
        "marac_criteria": [
            {
                "name": str(m.get("name", "")).replace("_", " ").capitalize(),
                "met": m.get("met"),
                "reason": m.get("reason", ""),
            }
            for m in assessment.marac_criteria
        ],
        "children_at_risk": redact(assessment.children_at_risk),
        "assessor": _name(assessment.assessor),
        "completed_at": timezone.localtime(assessment.completed_at) if assessment.completed_at else None,
        "signed_off_by": _name(assessment.signed_off_by) if assessment.signed_off_by_id else "",
        "signed_off_at": timezone.localtime(assessment.signed_off_at) if assessment.signed_off_at else None,
        "next_review_due": assessment.next_review_due,
        "plan": [
            {
                "risk": redact(a.risk),
                "action": redact(a.action),
                "owner": a.owner,
                "due_on": a.due_on,
                "status": a.get_status_display(),
            }
            for a in sorted(assessment.plan_actions.all(), key=lambda a: (a.due_on, a.pk))
        ],
    }


# --- MG12 and the incident schedule --------------------------------------------------------------------


def _exhibits(case: Case, redact: Redactor) -> list[dict]:
    return [
        {
            "reference": e.exhibit_reference,
            "description": redact(e.description),
            "uploaded_at": timezone.localtime(e.uploaded_at),
            "sha256": e.sha256,
        }
        for e in Evidence.objects.filter(case=case).order_by("uploaded_at", "id")
    ]


def _labels(values: list, choices) -> list[str]:
    labels = dict(choices)
    return [labels.get(v, v) for v in values or []]


def _incidents(case: Case, initials, redact: Redactor) -> dict:
    rows = [
        {
            "occurred_at": timezone.localtime(i.occurred_at),
            "occurred_until": timezone.localtime(i.occurred_until) if i.occurred_until else None,
            "channel": Channel(i.channel).label if i.channel in Channel.values else i.channel,
            "count": i.count,
            "place": Place(i.place).label if i.place in Place.values else "",
            "behaviours": _labels(i.behaviours, Behaviour.choices),
            "threats": _labels(i.threats, Threat.choices),
            "feared_violence": i.victim_feared_violence,
            "victim": initials.get(i.victim_id, ""),
            "narrative": redact(i.narrative),
            "is_breach": i.is_breach,
        }
        for i in Incident.objects.filter(case=case)
        .annotate(is_breach=Exists(Breach.objects.filter(incident_id=OuterRef("pk"))))
        .order_by("occurred_at", "id")
    ]
    return {"rows": rows, "several_victims": len(initials) > 1, "contacts": sum(r["count"] for r in rows)}
