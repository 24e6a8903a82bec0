"""The application to the magistrates' court for a Stalking Protection Order or an interim one (Stalking
Protection Act 2019 s.1 and s.5), generated as a PDF by casework/documents.py.

The application may be served on the respondent, so it names the people protected and nothing more
about them: no address of a protected person or victim, and no sealed detail, is ever printed (an
exclusion zone's address included); the court is given those separately."""

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from casework.choices import Channel, TimelineKind
from casework.documents import document_request
from casework.models import CaseDocument, Incident, TimelineEvent
from casework.redaction import WITHHELD, Redactor, victim_redactor
from casework.selectors import course_of_conduct as counted_conduct
from orders import choices as c
from orders.models import Breach, Condition, ProtectiveOrder

SPO_APPLICATION = "spo_application"
# An application can be prepared while it is drafted or pending, and kept for the record once granted.
APPLICATION_STATUSES = frozenset({c.OrderStatus.DRAFTED, c.OrderStatus.APPLIED}) | c.BINDING_STATUSES
GROUNDS = (
    ("grounds_acts", "acts", "the respondent has carried out acts associated with stalking", "the acts"),
    ("grounds_risk", "risk", "the respondent poses a risk associated with stalking to another person", "the risk"),
    (
        "grounds_necessity",
        "necessity",
        "there is reasonable cause to believe that the proposed order is necessary to protect that person from "
        "such a risk",
        "why the order is necessary",
    ),
)


def application_title(order: ProtectiveOrder) -> str:
    if order.order_type == c.OrderType.INTERIM_SPO:
        return "Application for an interim Stalking Protection Order"
    return "Application for a Stalking Protection Order"


def application_refusals(order: ProtectiveOrder) -> dict[str, str]:
    """Why no application can be prepared for this order (empty: it can)."""
    if order.order_type not in c.SPO_TYPES:
        return {"order_type": "An application can be prepared only for a Stalking Protection Order or an interim one"}
    errors = {}
    if order.status not in APPLICATION_STATUSES:
        errors["status"] = (
            f"This order is {order.get_status_display().lower()}: an application can be prepared once it is "
            "drafted, and while it is applied for, granted or in force"
        )
    for name, _, _, limb in GROUNDS:
        if not getattr(order, name).strip():
            errors[name] = f"State {limb} first (Stalking Protection Act 2019 s.1)"
    return errors


def spo_application_request(*, actor: User, order: ProtectiveOrder) -> CaseDocument:
    """Queue the application for this SPO or interim SPO (refused while `application_refusals` says
    so, on this and every later request); the worker renders it."""
    return document_request(actor=actor, case=order.case, kind=SPO_APPLICATION, source=order)


def application_html(order: ProtectiveOrder) -> str:
    return render_to_string("orders/application_spo.html", application_context(order))


def application_context(order: ProtectiveOrder) -> dict:
    """Plain data for the template, every free text already redacted: the template gets no model to
    reach a protected person's details through."""
    order = ProtectiveOrder.objects.select_related("case__unit__force", "case__officer", "respondent", "follows").get(
        pk=order.pk
    )
    case, respondent = order.case, order.respondent
    protected = list(order.protected_people.order_by("last_name", "first_name", "id"))
    conditions = list(order.conditions.order_by("created_at", "id"))
    redact = victim_redactor(case, people=protected, extra=[cond.zone_address for cond in conditions])
    interim = order.order_type == c.OrderType.INTERIM_SPO
    follows = order.follows if order.follows_id and order.follows.order_type == c.OrderType.INTERIM_SPO else None
    return {
        "title": application_title(order),
        "interim": interim,
        "section": "5" if interim else "1",
        "reference": case.reference,
        "prepared_at": timezone.localtime(),
        "applicant": order.applicant or f"Chief Officer of Police, {case.unit.force.name}",
        "force": case.unit.force.name,
        "court": order.court,
        "hearing_at": timezone.localtime(order.hearing_at) if order.hearing_at else None,
        "officer": case.officer.get_full_name() or case.officer.get_username(),
        "unit": case.unit.name,
        "interim_granted_on": follows.granted_on if follows else None,
        "respondent": {
            "name": str(respondent),
            "aliases": [a.name for a in respondent.aliases.order_by("name")],
            "date_of_birth": respondent.date_of_birth,
            "date_of_birth_is_approximate": respondent.date_of_birth_is_approximate,
        },
        "protected": [str(person) for person in protected],
        "grounds": [
            {"key": key, "limb": words, "text": redact(getattr(order, name))} for name, key, words, _ in GROUNDS
        ],
        "prohibitions": _conditions([x for x in conditions if x.kind != c.ConditionKind.REQUIREMENT], redact),
        "requirements": _conditions([x for x in conditions if x.kind == c.ConditionKind.REQUIREMENT], redact),
        "conduct": course_of_conduct(case.pk, redact),
        "evidence": [
            {"reference": e.exhibit_reference, "description": redact(e.description), "sha256": e.sha256[:16]}
            for e in case.evidence.order_by("uploaded_at", "id")
        ],
        "withheld": WITHHELD,
    }


def _conditions(conditions: list[Condition], redact: Redactor) -> list[dict]:
    return [
        {
            "wording": redact(cond.wording),
            "rationale": redact(cond.rationale),
            "starts_on": cond.starts_on,
            "ends_on": cond.ends_on,
        }
        for cond in conditions
    ]


def course_of_conduct(case_id: int, redact: Redactor) -> dict:
    """The incidents and breaches on the case's timeline, oldest first, each incident told in the officer's
    account (its narrative; the timeline's summary only when none was written), and what they add up to,
    counted by casework.selectors.course_of_conduct as on the case page. A breach is also an incident, so
    its row carries no count: the table's counts add up to the headline."""
    events = list(
        TimelineEvent.objects.filter(case_id=case_id, kind__in=[TimelineKind.INCIDENT, TimelineKind.BREACH])
        .order_by("occurred_at", "id")
        .values("occurred_at", "kind", "summary", "channel", "count", "source_id")
    )
    breaches = _breach_summaries([e["source_id"] for e in events if e["kind"] == TimelineKind.BREACH])
    accounts = _incident_accounts([e["source_id"] for e in events if e["kind"] == TimelineKind.INCIDENT])
    rows = []
    for e in events:
        is_breach = e["kind"] == TimelineKind.BREACH
        said = breaches.get(e["source_id"], e["summary"]) if is_breach else accounts.get(e["source_id"], e["summary"])
        rows.append(
            {
                "occurred_at": timezone.localtime(e["occurred_at"]),
                "channel": Channel(e["channel"]).label if e["channel"] in Channel.values else "",
                "summary": redact(said),
                "count": None if is_breach else e["count"],
                "is_breach": is_breach,
            }
        )
    conduct = counted_conduct(case_id)
    return {
        "rows": rows,
        "occasions": conduct.occasions,
        "contacts": conduct.contacts,
        "counted": conduct.counted,
        "breaches": sum(1 for row in rows if row["is_breach"]),
        "first": timezone.localtime(conduct.first) if conduct.first else None,
        "last": timezone.localtime(conduct.last) if conduct.last else None,
    }


def _incident_accounts(incident_ids: list[str]) -> dict[str, str]:
    """Each incident as "#3: " and the officer's account of it (its narrative), by the timeline's source id."""
    incidents = Incident.objects.filter(pk__in=[int(i) for i in incident_ids if i.isdigit()])
    return {
        str(pk): f"#{number}: {narrative.strip()}" if number else narrative.strip()
        for pk, number, narrative in incidents.values_list("pk", "number", "narrative")
        if narrative.strip()
    }


def _breach_summaries(breach_ids: list[str]) -> dict[str, str]:
    """A breach's own words for the table: the timeline's summary cuts the condition's wording short,
    which could leave part of an address that the redactor would no longer recognise."""
    breaches = Breach.objects.filter(pk__in=[int(i) for i in breach_ids if i.isdigit()]).select_related(
        "order", "condition"
    )
    summaries = {}
    for breach in breaches:
        of = breach.order.get_order_type_display() if breach.order_id else "bail conditions"
        condition = f": {breach.condition.wording}" if breach.condition_id else ""
        summaries[str(breach.pk)] = f"Breach of {of}{condition}"
    return summaries
