"""Protection: every change to orders, conditions, bail and the route to court, breaches, the victim
being told, and search warrants. Each function checks who may act and the preconditions, runs in one
transaction and writes the course-of-conduct timeline."""

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import audit, policy
from accounts.choices import AuditAction
from accounts.models import User
from casework.choices import ContactMethod, PartyRole, TimelineKind
from casework.models import Case, CaseParty, Evidence, Incident, Person
from casework.redaction import Redactor, sealed_text_check, sealed_text_errors
from casework.services.contacts import victim_contact_record
from casework.services.incidents import IncidentInput, incident_record
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from casework.working_days import add_working_days
from config import input_contract
from config.errors import EditConflict, InvalidInput, TransitionNotAllowed
from orders import choices as c
from orders import conditions as rules
from orders import lifecycle, zones
from orders.models import (
    BailExtension,
    Breach,
    BreachProposal,
    Condition,
    ProtectiveOrder,
    SearchWarrant,
    SuspectRoute,
    VictimNotice,
)


def _check_may_edit(actor: User, case: Case) -> None:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")


def _moment(day: date) -> datetime:
    """A date on the timeline: the start of that day, local time."""
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def _not_future(errors: dict, name: str, day: date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        errors[name] = f"{label} must not be in the future"


def _party_ids(case: Case, role: str) -> set[int]:
    return set(CaseParty.objects.filter(case=case, role=role).values_list("person_id", flat=True))


# --- Orders ----------------------------------------------------------------------------------------


@transaction.atomic
def order_consider(
    *,
    actor: User,
    case: Case,
    order_type: str,
    respondent_id: int,
    protected_ids: list[int],
    court: str = "",
    applicant: str = "",
    follows: ProtectiveOrder | None = None,
) -> ProtectiveOrder:
    """Start an order at "considered": who it is against, whom it protects."""
    _check_may_edit(actor, case)
    errors = {}
    if order_type not in c.OrderType.values:
        errors["order_type"] = f"Unknown order type {order_type!r}"
    if respondent_id not in _party_ids(case, PartyRole.SUSPECT):
        errors["respondent_id"] = "Choose the suspect in this case the order is against"
    protectable = (
        _party_ids(case, PartyRole.VICTIM) | _party_ids(case, PartyRole.CHILD) | _party_ids(case, PartyRole.WITNESS)
    )
    if not protected_ids:
        errors["protected_ids"] = "Choose at least one person the order protects"
    elif set(protected_ids) - protectable:
        errors["protected_ids"] = "Protected people must be victims, children or witnesses in this case"
    if follows is not None and follows.case_id != case.pk:
        errors["follows"] = "The earlier order must be in this case"
    if errors:
        raise InvalidInput(errors)
    order = ProtectiveOrder.objects.create(
        case=case,
        order_type=order_type,
        respondent_id=respondent_id,
        court=court.strip(),
        applicant=applicant.strip(),
        follows=follows,
        created_by=actor,
    )
    order.protected_people.set(protected_ids)
    timeline_record(
        case=case,
        kind=TimelineKind.ORDER,
        occurred_at=timezone.now(),
        summary=f"{order.get_order_type_display()} considered",
        source=order,
        actor=actor,
    )
    return order


def _claim(order: ProtectiveOrder, expected_version: int) -> ProtectiveOrder:
    current = ProtectiveOrder.objects.select_for_update().get(pk=order.pk)
    if current.version != expected_version:
        raise EditConflict(
            "Someone else changed this order since you opened it. Check it and try again.",
            current={"version": current.version, "status": current.status},
        )
    return current


@transaction.atomic
def order_update_details(
    *,
    actor: User,
    order: ProtectiveOrder,
    expected_version: int,
    court: str,
    applicant: str,
    grounds_acts: str,
    grounds_risk: str,
    grounds_necessity: str,
    hearing_at: datetime | None,
) -> ProtectiveOrder:
    """The court, applicant, hearing and grounds, while the order is being prepared or is in force."""
    _check_may_edit(actor, order.case)
    grounds = {"grounds_acts": grounds_acts, "grounds_risk": grounds_risk, "grounds_necessity": grounds_necessity}
    sealed_text_check(order.case, grounds, people=order.protected_people.all())
    order = _claim(order, expected_version)
    if order.status in {c.OrderStatus.NOT_PURSUED, c.OrderStatus.REFUSED, c.OrderStatus.DISCHARGED,
                        c.OrderStatus.EXPIRED}:  # fmt: skip
        raise TransitionNotAllowed(f"This order is {order.get_status_display().lower()}; it can no longer change")
    order.court, order.applicant = court.strip(), applicant.strip()
    order.grounds_acts, order.grounds_risk = grounds_acts.strip(), grounds_risk.strip()
    order.grounds_necessity, order.hearing_at = grounds_necessity.strip(), hearing_at
    order.version = F("version") + 1
    order.save()
    order.refresh_from_db()
    return order


def _victims_protected(order: ProtectiveOrder) -> list[Person]:
    victims = _party_ids(order.case, PartyRole.VICTIM)
    return [p for p in order.protected_people.all() if p.pk in victims]


def _notify_victims(case: Case, victims: list[Person], event: str, on: date, *, order=None, bail=None) -> None:
    due = add_working_days(on, settings.VICTIM_NOTICE_WORKING_DAYS)
    # One create each (a victim or two), not bulk_create: the audit signal must see every notice.
    for victim in victims:
        VictimNotice.objects.create(
            case=case, victim=victim, order=order, bail=bail, event=event, event_on=on, due_on=due
        )


def _application_errors(order: ProtectiveOrder) -> dict[str, str]:
    """What must be in place before an application goes to court (or a notice is given)."""
    errors = {}
    conditions = list(order.conditions.all())
    if order.order_type in c.SPO_TYPES:
        limbs = (
            ("grounds_acts", "the acts associated with stalking"),
            ("grounds_risk", "the risk he poses"),
            ("grounds_necessity", "why the order is necessary"),
        )
        for name, limb in limbs:
            if not getattr(order, name).strip():
                errors[name] = f"State {limb} (Stalking Protection Act 2019 s.1)"
    if not conditions:
        errors["conditions"] = "Add the conditions sought: the court is asked for prohibitions, not a blank order"
    not_consulted = [
        n for n, cond in enumerate(conditions, 1) if cond.consultation == c.ConsultationOutcome.NOT_CONSULTED
    ]
    if not_consulted:
        errors["consultation"] = (
            f"Ask the victim about condition{'s' if len(not_consulted) > 1 else ''} "
            f"{', '.join(map(str, not_consulted))} first, and record what she said"
        )
    if not order.court.strip() and order.order_type not in c.NOTICE_TYPES:
        errors["court"] = "Name the court"
    return errors


@transaction.atomic
def order_transition(
    *,
    actor: User,
    order: ProtectiveOrder,
    action: str,
    expected_version: int,
    on: date | None = None,
    reason: str = "",
    until_further_order: bool = False,
    duration_value: int | None = None,
    duration_unit: str = "",
    hearing_at: datetime | None = None,
) -> ProtectiveOrder:
    """Move an order along its lifecycle (orders/lifecycle.py): draft, not_pursue, apply, grant, refuse,
    serve, vary, renew, discharge, expire. `on` is the date it happened (default today)."""
    _check_may_edit(actor, order.case)
    order = _claim(order, expected_version)
    if message := lifecycle.transition_error(order.status, action, order.order_type):
        raise TransitionNotAllowed({"action": message})
    today = timezone.localdate()
    on = on or today
    errors: dict[str, str] = {}
    _not_future(errors, "on", on, "The date")
    needs_reason = {"not_pursue": "Say why it will not be pursued", "refuse": "Record the court's reasons",
                    "vary": "Say what was varied", "discharge": "Say why it was discharged"}  # fmt: skip
    if action in needs_reason and not reason.strip():
        errors["reason"] = needs_reason[action]
    if action == "apply":
        errors |= _application_errors(order)
    if action in {"grant", "refuse"} and order.applied_on and on < order.applied_on:
        errors["on"] = "The decision cannot be before the application"
    if action == "serve" and order.granted_on and on < order.granted_on:
        errors["on"] = "It cannot be served before it was granted"
    if action in {"grant", "renew"}:
        errors |= lifecycle.duration_errors(order.order_type, on, until_further_order, duration_value, duration_unit)
    if action == "expire" and (order.expires_on is None or order.expires_on >= today):
        errors["action"] = "Only an order whose expiry date has passed can be recorded as expired"
    if errors:
        raise InvalidInput(errors)

    event = None
    if action == "not_pursue":
        order.not_pursued_reason = reason.strip()
    elif action == "apply":
        order.applied_on, order.hearing_at = on, hearing_at or order.hearing_at
    elif action == "refuse":
        order.decided_on, order.refused_reason = on, reason.strip()
    elif action in {"grant", "renew"}:
        if action == "grant":
            order.decided_on = order.granted_on = on
        order.until_further_order = until_further_order
        order.duration_value = None if until_further_order else duration_value
        order.duration_unit = "" if until_further_order else duration_unit
        fixed = not until_further_order and duration_value
        order.expires_on = lifecycle.expiry_date(on, duration_value, duration_unit) if fixed else None
        event = c.NoticeEvent.GRANTED if action == "grant" else c.NoticeEvent.RENEWED
    elif action == "serve":
        order.served_on = on
        follows_type = order.follows.order_type if order.follows_id else None
        order.notification_due_on = lifecycle.notification_due(
            order.order_type, on, follows_type, settings.ORDER_NOTIFICATION_DAYS
        )
        event = c.NoticeEvent.SERVED
    elif action == "vary":
        event = c.NoticeEvent.VARIED
    elif action in {"discharge", "expire"}:
        order.ended_on = on if action == "discharge" else order.expires_on
        order.end_reason = reason.strip()
        event = c.NoticeEvent.DISCHARGED if action == "discharge" else None
    order.status = lifecycle.TRANSITIONS[action][1]
    order.version = F("version") + 1
    order.save()
    order.refresh_from_db()
    if event:
        _notify_victims(order.case, _victims_protected(order), event, on, order=order)
    if action in {"grant", "refuse"} and order.follows_id:
        _end_interim_order(order, on, actor)
    detail = f": {reason.strip()}" if reason.strip() else ""
    expiry = f", expires {order.expires_on:%d %b %Y}" if action in {"grant", "renew"} and order.expires_on else ""
    timeline_record(
        case=order.case,
        kind=TimelineKind.ORDER,
        occurred_at=_moment(on) if on != today else timezone.now(),
        summary=f"{order.get_order_type_display()}: {order.get_status_display().lower()}{expiry}{detail}",
        source=order,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, order.case_id)
    return order


def _end_interim_order(order: ProtectiveOrder, on: date, actor: User) -> None:
    """An interim SPO ends when the main application is decided (SPA 2019 s.5); a DVPN or DAPN when
    the order that follows it is."""
    interim = ProtectiveOrder.objects.select_for_update().get(pk=order.follows_id)
    if interim.status not in c.BINDING_STATUSES:
        return
    interim.status, interim.ended_on = c.OrderStatus.EXPIRED, on
    interim.end_reason = f"Ended when the {order.get_order_type_display()} was {order.get_status_display().lower()}"
    interim.version = F("version") + 1
    interim.save()
    timeline_record(
        case=order.case, kind=TimelineKind.ORDER, occurred_at=_moment(on), source=interim, actor=actor,
        summary=f"{interim.get_order_type_display()}: ended ({interim.end_reason.lower()})",
    )  # fmt: skip


@transaction.atomic
def order_respondent_notified(*, actor: User, order: ProtectiveOrder, on: date) -> ProtectiveOrder:
    """The respondent gave name(s) and home address as the order requires (SPA 2019 s.9)."""
    _check_may_edit(actor, order.case)
    if order.notification_due_on is None:
        raise TransitionNotAllowed("This order has no notification requirement")
    if order.respondent_notified_on is not None:
        raise TransitionNotAllowed(
            f"The respondent's notification is already recorded ({order.respondent_notified_on:%-d %B %Y})"
        )
    errors: dict[str, str] = {}
    _not_future(errors, "on", on, "The date")
    if order.served_on and on < order.served_on:
        errors["on"] = "He cannot have notified before the order was served"
    if errors:
        raise InvalidInput(errors)
    order.respondent_notified_on = on
    order.save(update_fields=["respondent_notified_on", "updated_at"])
    late = " (late)" if on > order.notification_due_on else ""
    timeline_record(
        case=order.case, kind=TimelineKind.ORDER, occurred_at=_moment(on), source=order, actor=actor,
        summary=f"{order.get_order_type_display()}: respondent notified name and address{late}",
    )  # fmt: skip
    enqueue_after_commit(alerts_refresh_case, order.case_id)
    return order


# --- Conditions ------------------------------------------------------------------------------------

# The widest exclusion zone around an address, in metres (the input contract: a radius that fits its column).
ZONE_RADIUS_MAX_M = 100_000
ENDED_ORDER = frozenset({c.OrderStatus.NOT_PURSUED, c.OrderStatus.REFUSED, c.OrderStatus.DISCHARGED,
                         c.OrderStatus.EXPIRED})  # fmt: skip


def condition_add(*, actor: User, order: ProtectiveOrder | None = None, bail: SuspectRoute | None = None, **fields):
    """A condition of an order or of bail (`_condition_add`). A zone refused for being at or near her
    address is recorded with the user after the refused attempt is rolled back: whoever tries guessed
    addresses against hers leaves a trace."""
    try:
        return _condition_add(actor=actor, order=order, bail=bail, **fields)
    except InvalidInput as exc:
        if exc.errors.get("zone_address", [""])[0].startswith(zones.NEAR_WARNING):
            case = order.case if order is not None else bail.case
            audit.record(
                AuditAction.CONSULT,
                obj=case,
                detail="exclusion zone warned of: at or near a protected person's address",
                actor=actor,
            )
        raise


@transaction.atomic
def _condition_add(
    *,
    actor: User,
    kind: str,
    rationale: str,
    protected_ids: list[int],
    order: ProtectiveOrder | None = None,
    bail: SuspectRoute | None = None,
    wording: str = "",
    channels: list[str] | None = None,
    zone_places: list[str] | None = None,
    zone_address: str = "",
    zone_radius_m: int | None = None,
    zone_area: str = "",
    behaviours: list[str] | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    consultation: str = c.ConsultationOutcome.NOT_CONSULTED,
    consulted_on: date | None = None,
    victim_view: str = "",
    zone_reason: str = "",
) -> Condition:
    """A condition of an order (sought or, with a variation, added) or of bail. Standard kinds take
    their wording and checkable parts from the library unless given. An exclusion zone's address is
    a sealed detail kept out of the wording; one at or near an address of a person it protects needs
    `zone_reason`, the officer's confirmation that she chose it knowingly (orders/zones.py)."""
    from casework.choices import Behaviour, Channel, Place

    if (order is None) == (bail is None):
        raise InvalidInput("A condition belongs to one order or one bail")
    case = order.case if order is not None else bail.case
    _check_may_edit(actor, case)
    if order is not None and order.status in ENDED_ORDER:
        raise TransitionNotAllowed(f"This order is {order.get_status_display().lower()}; it takes no new conditions")
    if bail is not None and (not bail.is_bail or bail.bail_ended_on):
        raise TransitionNotAllowed("Conditions can be added only to current bail")
    errors: dict[str, str] = {}
    if kind not in c.ConditionKind.values:
        raise InvalidInput({"kind": f"Unknown condition {kind!r}"})
    standard = rules.LIBRARY[kind]
    channels = standard.channels if channels is None else channels
    zone_places = standard.zone_places if zone_places is None else zone_places
    behaviours = standard.behaviours if behaviours is None else behaviours
    for name, values, choices in (("channels", channels, Channel), ("zone_places", zone_places, Place),
                                  ("behaviours", behaviours, Behaviour)):  # fmt: skip
        unknown = sorted(set(values) - set(choices.values))
        if unknown:
            errors[name] = f"Unknown {name.replace('_', ' ')}: {', '.join(unknown)}"
    allowed = set(order.protected_people.values_list("pk", flat=True)) if order is not None else (
        _party_ids(case, PartyRole.VICTIM) | _party_ids(case, PartyRole.CHILD) | _party_ids(case, PartyRole.WITNESS)
    )  # fmt: skip
    if not protected_ids:
        errors["protected_ids"] = "Choose whom the condition protects"
    elif set(protected_ids) - allowed:
        errors["protected_ids"] = "A condition can protect only the people the order protects"
    if not rationale.strip():
        errors["rationale"] = "Say why this condition is needed: the court must find each one necessary"
    if kind == c.ConditionKind.EXCLUSION_ZONE and not (zone_address.strip() or zone_area.strip()):
        errors["zone_address"] = "Give the address (with a radius) or the named area of the exclusion zone"
    radius_error = zone_radius_m is not None and input_contract.integer_error(zone_radius_m, maximum=ZONE_RADIUS_MAX_M)
    if radius_error:
        errors["zone_radius_m"] = radius_error
    elif zone_address.strip() and not zone_radius_m:
        errors["zone_radius_m"] = "Give the radius around the address, in metres"
    if kind == c.ConditionKind.FREE and not wording.strip():
        errors["wording"] = "Word the condition"
    if starts_on is None and order is not None and order.status in c.BINDING_STATUSES:
        # Added to an order in force (a variation): it binds from today, not from the grant.
        starts_on = timezone.localdate()
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The condition cannot end before it starts"
    if consultation not in c.ConsultationOutcome.values:
        errors["consultation"] = f"Unknown consultation outcome {consultation!r}"
    elif consultation != c.ConsultationOutcome.NOT_CONSULTED:
        if consulted_on is None:
            errors["consulted_on"] = "Say when the victim was asked"
        _not_future(errors, "consulted_on", consulted_on, "The consultation date")
        if consultation != c.ConsultationOutcome.COULD_NOT_CONTACT and not victim_view.strip():
            errors["victim_view"] = "Record what the victim said"
    texts = {"wording": wording, "rationale": rationale, "victim_view": victim_view}
    errors = sealed_text_errors(case, texts, people=Person.objects.filter(pk__in=protected_ids or [])) | errors
    near = zone_address.strip() and zones.near_protected(zone_address, protected_ids or [], case)
    if zone_address.strip():
        if "wording" not in errors and Redactor([zone_address.strip()]).found(wording):
            errors["wording"] = (
                "Leave the zone's address out of the wording: it is kept apart, as a sealed detail. "
                "The standard wording says “the confidential address”"
            )
        if near and not zone_reason.strip():
            errors["zone_address"] = f"{zones.NEAR_WARNING}. {zones.NAMED_AREA_ADVICE}."
    if errors:
        raise InvalidInput(errors)
    names = [str(p) for p in Person.objects.filter(pk__in=protected_ids).order_by("last_name", "first_name")]
    condition = Condition.objects.create(
        order=order,
        bail=bail,
        kind=kind,
        wording=wording.strip()
        or rules.standard_wording(
            kind,
            names,
            address=zone_address.strip(),
            radius_m=zone_radius_m,
            area=zone_area.strip(),
            places=zone_places,
        ),  # fmt: skip
        channels=sorted(set(channels)),
        zone_places=sorted(set(zone_places)),
        zone_address=zone_address.strip(),
        zone_radius_m=zone_radius_m,
        zone_area=zone_area.strip(),
        behaviours=sorted(set(behaviours)),
        starts_on=starts_on,
        ends_on=ends_on,
        rationale=rationale.strip(),
        consultation=consultation,
        consulted_on=consulted_on if consultation != c.ConsultationOutcome.NOT_CONSULTED else None,
        victim_view=victim_view.strip(),
        created_by=actor,
    )
    condition.protected_people.set(protected_ids)
    if near:
        audit.record(
            AuditAction.COLLECT,
            obj=condition,
            detail=f"exclusion zone at or near a protected person's address, chosen knowingly: {zone_reason.strip()}",
            actor=actor,
        )
    if bail is not None:
        # The first condition sets bail conditions, later ones change them. A victim not yet told of an
        # earlier one needs no second notice: her letter is written when she is told, with every condition.
        first = not bail.conditions.exclude(pk=condition.pk).exists()
        waiting = set(
            VictimNotice.objects.filter(
                bail=bail, informed_at__isnull=True, event__in=[c.NoticeEvent.BAIL_GRANTED, c.NoticeEvent.BAIL_CHANGED]
            ).values_list("victim_id", flat=True)
        )
        victims = [
            p
            for p in condition.protected_people.all()
            if p.pk in _party_ids(case, PartyRole.VICTIM) and p.pk not in waiting
        ]
        event = c.NoticeEvent.BAIL_GRANTED if first else c.NoticeEvent.BAIL_CHANGED
        _notify_victims(case, victims, event, timezone.localdate(), bail=bail)
        enqueue_after_commit(alerts_refresh_case, case.pk)
    elif order.status in c.BINDING_STATUSES:
        enqueue_after_commit(alerts_refresh_case, case.pk)
    return condition


@transaction.atomic
def condition_record_consultation(
    *, actor: User, condition: Condition, consultation: str, consulted_on: date, victim_view: str
) -> Condition:
    """What the victim said about a condition, and when (CPS guidance: ask her, discuss the terms)."""
    case = condition.order.case if condition.order_id else condition.bail.case
    _check_may_edit(actor, case)
    errors: dict[str, str] = {}
    if consultation not in c.ConsultationOutcome.values or consultation == c.ConsultationOutcome.NOT_CONSULTED:
        errors["consultation"] = "Choose what the victim said"
    if consulted_on is None:
        errors["consulted_on"] = "Say when the victim was asked"
    _not_future(errors, "consulted_on", consulted_on, "The consultation date")
    if consultation != c.ConsultationOutcome.COULD_NOT_CONTACT and not victim_view.strip():
        errors["victim_view"] = "Record what the victim said"
    if errors:
        raise InvalidInput(errors)
    condition.consultation, condition.consulted_on, condition.victim_view = (
        consultation,
        consulted_on,
        victim_view.strip(),
    )
    condition.save(update_fields=["consultation", "consulted_on", "victim_view"])
    return condition


# --- Bail and the route to court --------------------------------------------------------------------


def route_needs_reason(case: Case, route: str) -> bool:
    """A route that leaves the victim without bail conditions, in a case graded medium or high or with
    stalking indicators, needs the officer's reason and a supervisor's review."""
    from orders.selectors import case_protection_facts

    if route not in c.UNPROTECTED_ROUTES:
        return False
    facts = case_protection_facts(case)
    return facts.stalking or facts.risk_grade in {"medium", "high"}


@transaction.atomic
def route_record(
    *,
    actor: User,
    case: Case,
    suspect_id: int,
    route: str,
    occurred_on: date,
    bail_end: date | None = None,
    bail_authority: str = "",
    victim_views: str = "",
    unprotected_reason: str = "",
    note: str = "",
) -> SuspectRoute:
    _check_may_edit(actor, case)
    errors: dict[str, str] = {}
    if suspect_id not in _party_ids(case, PartyRole.SUSPECT):
        errors["suspect_id"] = "Choose a suspect in this case"
    if route not in c.Route.values:
        raise InvalidInput({"route": f"Unknown route {route!r}"})
    _not_future(errors, "occurred_on", occurred_on, "The date")
    is_bail = route in c.BAIL_ROUTES
    if is_bail:
        if bail_end is None:
            errors["bail_end"] = "Give the date bail ends (the date he must answer bail)"
        if bail_authority not in c.BailAuthority.values:
            errors["bail_authority"] = "Say who authorised bail"
        elif bail_end is not None and route == c.Route.PRE_CHARGE_BAIL:
            if message := lifecycle.bail_limit_error(occurred_on, bail_end, bail_authority, settings.BAIL_LIMIT_MONTHS):
                errors["bail_end"] = message
        elif bail_end is not None and bail_end < occurred_on:
            errors["bail_end"] = "Bail cannot end before it starts"
    needs_review = route_needs_reason(case, route)
    if needs_review and not unprotected_reason.strip():
        errors["unprotected_reason"] = (
            f"{c.Route(route).label} leaves the victim without bail conditions in a case that is medium or high "
            "risk or shows stalking. Give your reason; your supervisor will review it."
        )
    if errors:
        raise InvalidInput(errors)
    record = SuspectRoute.objects.create(
        case=case,
        suspect_id=suspect_id,
        route=route,
        occurred_on=occurred_on,
        bail_start=occurred_on if is_bail else None,
        bail_end=bail_end if is_bail else None,
        bail_authority=bail_authority if is_bail else "",
        victim_views=victim_views.strip(),
        unprotected_reason=unprotected_reason.strip() if route in c.UNPROTECTED_ROUTES else "",
        needs_review=needs_review,
        note=note.strip(),
        recorded_by=actor,
    )
    until = f" until {bail_end:%d %b %Y}" if is_bail else ""
    why = f"; reason: {record.unprotected_reason}" if record.unprotected_reason else ""
    timeline_record(
        case=case, kind=TimelineKind.ORDER, occurred_at=_moment(occurred_on), source=record, actor=actor,
        summary=f"Suspect: {record.get_route_display().lower()}{until}{why}",
    )  # fmt: skip
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return record


@transaction.atomic
def route_review(*, actor: User, route: SuspectRoute, note: str) -> SuspectRoute:
    """A supervisor's review of a route that left the victim without bail conditions."""
    if not policy.may(actor, policy.Action.SUPERVISE_CASE, route.case):
        raise InvalidInput("Only a supervisor of the case's unit can review this")
    if not route.needs_review:
        raise TransitionNotAllowed("This route does not need a supervisor's review")
    if route.reviewed_at is not None:
        raise TransitionNotAllowed("This route has already been reviewed")
    if not note.strip():
        raise InvalidInput({"review_note": "Record your review: agree, or what must happen instead"})
    route.reviewed_by, route.reviewed_at, route.review_note = actor, timezone.now(), note.strip()
    route.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    timeline_record(
        case=route.case, kind=TimelineKind.ORDER, occurred_at=route.reviewed_at, source=route, actor=actor,
        summary=f"Supervisor reviewed the {route.get_route_display().lower()}: {route.review_note}",
    )  # fmt: skip
    enqueue_after_commit(alerts_refresh_case, route.case_id)
    return route


def _current_bail(route: SuspectRoute) -> None:
    if not route.is_bail:
        raise TransitionNotAllowed("This is not bail")
    if route.bail_ended_on is not None:
        raise TransitionNotAllowed("This bail has ended")


@transaction.atomic
def bail_extend(
    *, actor: User, route: SuspectRoute, new_end: date, authority: str, authorised_on: date
) -> BailExtension:
    _check_may_edit(actor, route.case)
    route = SuspectRoute.objects.select_for_update().get(pk=route.pk)
    _current_bail(route)
    errors: dict[str, str] = {}
    _not_future(errors, "authorised_on", authorised_on, "The date authorised")
    if authority not in c.BailAuthority.values:
        errors["authority"] = "Say who authorised the extension"
    elif new_end <= route.bail_end:
        errors["new_end"] = f"An extension must end after the current end date, {route.bail_end:%-d %B %Y}"
    elif route.route == c.Route.PRE_CHARGE_BAIL:
        if message := lifecycle.bail_limit_error(route.bail_start, new_end, authority, settings.BAIL_LIMIT_MONTHS):
            errors["new_end"] = message
    if errors:
        raise InvalidInput(errors)
    extension = BailExtension.objects.create(
        route=route, previous_end=route.bail_end, new_end=new_end, authority=authority, authorised_on=authorised_on,
        recorded_by=actor,
    )  # fmt: skip
    route.bail_end, route.bail_authority = new_end, authority
    route.save(update_fields=["bail_end", "bail_authority"])
    _notify_victims(route.case, _bail_victims(route), c.NoticeEvent.BAIL_CHANGED, authorised_on, bail=route)
    timeline_record(
        case=route.case, kind=TimelineKind.ORDER, occurred_at=_moment(authorised_on), source=route, actor=actor,
        summary=f"Bail extended to {new_end:%d %b %Y} ({extension.get_authority_display().lower()})",
    )  # fmt: skip
    enqueue_after_commit(alerts_refresh_case, route.case_id)
    return extension


def _bail_victims(route: SuspectRoute) -> list[Person]:
    victims = _party_ids(route.case, PartyRole.VICTIM)
    protected = {p for cond in route.conditions.all() for p in cond.protected_people.all()}
    return [p for p in protected if p.pk in victims] or list(Person.objects.filter(pk__in=victims))


@transaction.atomic
def bail_end(*, actor: User, route: SuspectRoute, ended_on: date, reason: str) -> SuspectRoute:
    """Bail ended: answered and charged, released, or cancelled."""
    _check_may_edit(actor, route.case)
    _current_bail(route)
    errors: dict[str, str] = {}
    _not_future(errors, "ended_on", ended_on, "The date")
    if ended_on < route.bail_start:
        errors["ended_on"] = "Bail cannot end before it started"
    if not reason.strip():
        errors["reason"] = "Say how bail ended (e.g. charged and remanded, released under investigation)"
    if errors:
        raise InvalidInput(errors)
    route.bail_ended_on = ended_on
    route.note = "\n".join(filter(None, [route.note, f"Bail ended: {reason.strip()}"]))
    route.save(update_fields=["bail_ended_on", "note"])
    if route.conditions.exists():
        _notify_victims(route.case, _bail_victims(route), c.NoticeEvent.BAIL_ENDED, ended_on, bail=route)
    timeline_record(
        case=route.case, kind=TimelineKind.ORDER, occurred_at=_moment(ended_on), source=route, actor=actor,
        summary=f"Bail ended: {reason.strip()}",
    )  # fmt: skip
    enqueue_after_commit(alerts_refresh_case, route.case_id)
    return route


# --- Breaches --------------------------------------------------------------------------------------


def _binding_period(order: ProtectiveOrder | None, bail: SuspectRoute | None) -> tuple[date | None, date | None]:
    if order is not None:
        if order.status not in c.BINDING_STATUSES | {c.OrderStatus.DISCHARGED, c.OrderStatus.EXPIRED}:
            return None, None
        return order.in_force_from, order.ended_on or order.expires_on
    if not bail.is_bail:
        return None, None
    return bail.bail_start, bail.bail_ended_on or bail.bail_end


def _breach_timeline(breach: Breach, actor: User) -> None:
    of = breach.order.get_order_type_display() if breach.order_id else "bail conditions"
    condition = f" (condition: {breach.condition.wording[:120]})" if breach.condition_id else ""
    timeline_record(
        case=breach.case, kind=TimelineKind.BREACH, occurred_at=breach.incident.occurred_at, source=breach,
        channel=breach.incident.channel, person=breach.incident.victim, actor=actor,
        summary=f"Breach of {of}{condition}",
    )  # fmt: skip


@transaction.atomic
def breach_record(
    *,
    actor: User,
    case: Case,
    incident: IncidentInput,
    order: ProtectiveOrder | None = None,
    bail: SuspectRoute | None = None,
    condition: Condition | None = None,
) -> Breach:
    """Log a breach: the incident goes on the course of conduct, linked to the order (or bail) and the
    condition breached. The officer is then asked about the substantive offence."""
    _check_may_edit(actor, case)
    if (order is None) == (bail is None):
        raise InvalidInput({"order_id": "Choose the order or the bail that was breached"})
    owner = order or bail
    if owner.case_id != case.pk:
        raise InvalidInput({"order_id": "Choose an order or bail of this case"})
    if condition is not None and (condition.order_id, condition.bail_id) != (
        order.pk if order else None,
        bail.pk if bail else None,
    ):
        raise InvalidInput({"condition_id": "Choose a condition of the order or bail breached"})
    start, end = _binding_period(order, bail)
    day = timezone.localtime(incident.occurred_at).date() if incident.occurred_at else None
    if start is None:
        raise InvalidInput({"order_id": "That order was never in force, so it cannot have been breached"})
    if day is not None and not (start <= day and (end is None or day <= end)):
        until = f" to {end:%-d %B %Y}" if end else ""
        raise InvalidInput({"occurred_at": f"It was in force from {start:%-d %B %Y}{until}; this is outside it"})
    logged = incident_record(actor=actor, case=case, data=incident)
    breach = Breach.objects.create(case=case, incident=logged, order=order, bail=bail, condition=condition,
                                   recorded_by=actor)  # fmt: skip
    _breach_timeline(breach, actor)
    return breach


@transaction.atomic
def breach_proposal_confirm(*, actor: User, proposal: BreachProposal) -> Breach:
    _check_may_edit(actor, proposal.case)
    proposal = BreachProposal.objects.select_for_update().select_related("condition", "incident").get(pk=proposal.pk)
    if proposal.status != c.ProposalStatus.PROPOSED:
        raise TransitionNotAllowed(f"This proposal is already {proposal.get_status_display().lower()}")
    if Breach.objects.filter(incident=proposal.incident).exists():
        raise TransitionNotAllowed("This incident is already recorded as a breach")
    condition = proposal.condition
    breach = Breach.objects.create(
        case=proposal.case, incident=proposal.incident, order_id=condition.order_id, bail_id=condition.bail_id,
        condition=condition, recorded_by=actor,
    )  # fmt: skip
    proposal.status, proposal.decided_by, proposal.decided_at, proposal.breach = (
        c.ProposalStatus.CONFIRMED,
        actor,
        timezone.now(),
        breach,
    )
    proposal.save(update_fields=["status", "decided_by", "decided_at", "breach"])
    # Other proposals for the same incident are settled by this one (saved one by one, so audited).
    for other in BreachProposal.objects.filter(incident=proposal.incident, status=c.ProposalStatus.PROPOSED):
        other.status, other.decided_by, other.decided_at = c.ProposalStatus.REJECTED, actor, proposal.decided_at
        other.rejection_reason = "Recorded as a breach of another condition"
        other.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
    _breach_timeline(breach, actor)
    enqueue_after_commit(alerts_refresh_case, proposal.case_id)
    return breach


@transaction.atomic
def breach_proposal_reject(*, actor: User, proposal: BreachProposal, reason: str) -> BreachProposal:
    _check_may_edit(actor, proposal.case)
    if proposal.status != c.ProposalStatus.PROPOSED:
        raise TransitionNotAllowed(f"This proposal is already {proposal.get_status_display().lower()}")
    if not reason.strip():
        raise InvalidInput({"rejection_reason": "Say why this is not a breach"})
    proposal.status, proposal.decided_by, proposal.decided_at = c.ProposalStatus.REJECTED, actor, timezone.now()
    proposal.rejection_reason = reason.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
    enqueue_after_commit(alerts_refresh_case, proposal.case_id)
    return proposal


@transaction.atomic
def breach_substantive_decide(*, actor: User, breach: Breach, decision: str, note: str) -> Breach:
    """The answer to "is this breach also a further offence?" — the stalking may be going on."""
    _check_may_edit(actor, breach.case)
    if decision not in c.SubstantiveDecision.values or decision == c.SubstantiveDecision.NOT_YET:
        raise InvalidInput({"substantive_decision": "Choose whether a further offence is being pursued"})
    if decision == c.SubstantiveDecision.BREACH_ONLY and not note.strip():
        raise InvalidInput({"substantive_note": "Say why the conduct is not a further stalking or harassment offence"})
    breach.substantive_decision, breach.substantive_note = decision, note.strip()
    breach.substantive_decided_at = timezone.now()
    breach.save(update_fields=["substantive_decision", "substantive_note", "substantive_decided_at"])
    enqueue_after_commit(alerts_refresh_case, breach.case_id)
    return breach


@transaction.atomic
def breach_proposals_refresh(case_id: int) -> int:
    """Test the case's incidents against every condition that binds; propose each new match once.
    A refresher of the alert machinery: runs after every change to the case (on commit)."""
    from orders.selectors import binding_conditions

    conditions = binding_conditions(case_id)
    if not conditions:
        return 0
    earliest = min(cond.binds_from for cond in conditions)
    incidents = [
        rules.IncidentFacts(i.pk, i.occurred_at, i.victim_id, i.channel, i.place, frozenset(i.behaviours or ()))
        for i in Incident.objects.filter(case_id=case_id, occurred_at__gte=_moment(earliest), breach__isnull=True)
    ]
    found = rules.find_matches(incidents, conditions)
    # Each match once, even if rejected: leave out those already proposed (bulk_create with
    # ignore_conflicts cannot tell how many it inserted; it still covers a refresh running alongside).
    already = set(BreachProposal.objects.filter(case_id=case_id).values_list("incident_id", "condition_id"))
    new = [m for m in found if (m.incident_id, m.condition_id) not in already]
    if not new:
        return 0
    BreachProposal.objects.bulk_create(
        [BreachProposal(case_id=case_id, incident_id=m.incident_id, condition_id=m.condition_id, reason=m.reason)
         for m in new],
        ignore_conflicts=True,
    )  # fmt: skip
    # bulk_create sends no signals: one audit row names the case and how many were proposed.
    audit.record(
        AuditAction.COLLECT,
        object_type=BreachProposal._meta.label_lower,
        object_id=f"case {case_id}",
        detail=f"{len(new)} breach proposal{'s' if len(new) > 1 else ''} from the conditions in force",
    )
    return len(new)


# --- The victim is told ----------------------------------------------------------------------------


def victim_notice_letter(notice: VictimNotice, *, author: User) -> str:
    """The letter or e-mail to the victim, from the template (orders/templates/orders/letters/)."""
    context = {"notice": notice, "order": notice.order, "bail": notice.bail, "victim": notice.victim,
               "case": notice.case, "author": author,
               "conditions": list((notice.order or notice.bail).conditions.all())}  # fmt: skip
    return render_to_string("orders/letters/victim_notice.txt", context).strip() + "\n"


@transaction.atomic
def victim_notice_informed(
    *, actor: User, notice: VictimNotice, informed_at: datetime, method: str, letter: str = ""
) -> VictimNotice:
    """She was told: closes the notice, keeps what she was sent, and logs the contact."""
    _check_may_edit(actor, notice.case)
    if notice.informed_at is not None:
        raise TransitionNotAllowed("The victim has already been told of this")
    if method not in ContactMethod.values:
        raise InvalidInput({"method": "Say how she was told"})
    if informed_at > timezone.now():
        raise InvalidInput({"informed_at": "When she was told must not be in the future"})
    notice.informed_at, notice.method, notice.informed_by = informed_at, method, actor
    notice.letter = letter.strip() or victim_notice_letter(notice, author=actor)
    notice.save(update_fields=["informed_at", "method", "informed_by", "letter"])
    what = notice.order.get_order_type_display() if notice.order_id else "bail"
    victim_contact_record(
        actor=actor, case=notice.case, victim_id=notice.victim_id, contacted_at=informed_at, method=method,
        summary=f"Told of {notice.get_event_display().lower()} ({what}).",
    )  # fmt: skip
    return notice


# --- Search warrants (PHA 1997 s.2B) ---------------------------------------------------------------


@transaction.atomic
def warrant_apply(
    *, actor: User, case: Case, premises: str, grounds: str, applied_on: date, court: str
) -> SearchWarrant:
    _check_may_edit(actor, case)
    errors: dict[str, str] = {}
    if not case.is_stalking:
        errors["case"] = "A s.2B warrant is for a stalking offence (s.2A): flag the case as stalking first"
    for name, value, message in (("premises", premises, "Give the premises to be searched"),
                                 ("grounds", grounds, "Give the grounds: the offence and the material sought"),
                                 ("court", court, "Name the court")):  # fmt: skip
        if not value.strip():
            errors[name] = message
    _not_future(errors, "applied_on", applied_on, "The application date")
    if errors:
        raise InvalidInput(errors)
    warrant = SearchWarrant.objects.create(
        case=case, premises=premises.strip(), grounds=grounds.strip(), applied_on=applied_on, court=court.strip(),
        recorded_by=actor,
    )  # fmt: skip
    timeline_record(case=case, kind=TimelineKind.WARRANT, occurred_at=_moment(applied_on), source=warrant,
                    actor=actor, summary=f"s.2B search warrant applied for at {warrant.court}")  # fmt: skip
    return warrant


@transaction.atomic
def warrant_decide(
    *, actor: User, warrant: SearchWarrant, granted: bool, decided_on: date, reason: str = ""
) -> SearchWarrant:
    _check_may_edit(actor, warrant.case)
    if warrant.status != c.WarrantStatus.APPLIED:
        raise TransitionNotAllowed(f"This warrant is already {warrant.get_status_display().lower()}")
    errors: dict[str, str] = {}
    _not_future(errors, "decided_on", decided_on, "The decision date")
    if decided_on < warrant.applied_on:
        errors["decided_on"] = "The decision cannot be before the application"
    if not granted and not reason.strip():
        errors["refused_reason"] = "Record why it was refused"
    if errors:
        raise InvalidInput(errors)
    warrant.status = c.WarrantStatus.GRANTED if granted else c.WarrantStatus.REFUSED
    warrant.decided_on, warrant.refused_reason = decided_on, "" if granted else reason.strip()
    warrant.save(update_fields=["status", "decided_on", "refused_reason"])
    timeline_record(case=warrant.case, kind=TimelineKind.WARRANT, occurred_at=_moment(decided_on), source=warrant,
                    actor=actor, summary=f"s.2B search warrant {warrant.get_status_display().lower()}")  # fmt: skip
    return warrant


@transaction.atomic
def warrant_execute(
    *, actor: User, warrant: SearchWarrant, executed_on: date, officers: str, seized: str, evidence_ids: list[int]
) -> SearchWarrant:
    _check_may_edit(actor, warrant.case)
    if warrant.status != c.WarrantStatus.GRANTED:
        raise TransitionNotAllowed("Only a granted warrant can be executed")
    errors: dict[str, str] = {}
    _not_future(errors, "executed_on", executed_on, "The date")
    if warrant.decided_on and executed_on < warrant.decided_on:
        errors["executed_on"] = "It cannot be executed before it was granted"
    if not officers.strip():
        errors["officers"] = "Name the officers who executed it"
    evidence = list(Evidence.objects.filter(case=warrant.case, pk__in=evidence_ids))
    if len(evidence) != len(set(evidence_ids)):
        errors["evidence_ids"] = "Link only exhibits of this case"
    if errors:
        raise InvalidInput(errors)
    warrant.status, warrant.executed_on = c.WarrantStatus.EXECUTED, executed_on
    warrant.officers, warrant.seized = officers.strip(), seized.strip()
    warrant.save(update_fields=["status", "executed_on", "officers", "seized"])
    warrant.seized_evidence.set(evidence)
    items = f"; seized: {warrant.seized[:150]}" if warrant.seized else "; nothing seized"
    timeline_record(case=warrant.case, kind=TimelineKind.WARRANT, occurred_at=_moment(executed_on), source=warrant,
                    actor=actor, summary=f"s.2B search warrant executed{items}")  # fmt: skip
    return warrant
