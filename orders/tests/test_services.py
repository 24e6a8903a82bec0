"""Protection services (orders/services.py): orders through their life, conditions, the victim told,
bail and the route to court, breaches and the system's proposals, s.2B warrants, and the audit trail."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import Channel, PartyRole, Place, TimelineKind
from casework.models import Evidence, Incident, TimelineEvent, VictimContact
from casework.services.incidents import IncidentInput, incident_record
from casework.tests.factories import CaseFactory
from casework.working_days import add_working_days
from config.errors import EditConflict, InvalidInput, TransitionNotAllowed
from orders import choices as c
from orders import lifecycle, services
from orders.models import BailExtension, Breach, BreachProposal, VictimNotice
from orders.tests.factories import (
    BreachFactory,
    BreachProposalFactory,
    CasePartyFactory,
    ConditionFactory,
    ProtectiveOrderFactory,
    SearchWarrantFactory,
    SuspectRouteFactory,
)
from risk.selectors import current_rules, escalation_facts
from risk.tests.factories import plan_basics

S, T = c.OrderStatus, c.OrderType
RO = T.RESTRAINING_ORDER_CONVICTION
YEARS, MONTHS, DAYS = c.DurationUnit.YEARS, c.DurationUnit.MONTHS, c.DurationUnit.DAYS
COURT = "Birmingham Magistrates' Court"


def ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def victim(case):
    return CasePartyFactory(case=case, role=PartyRole.VICTIM, person__first_name="Jane", person__last_name="Doe").person


@pytest.fixture
def suspect(case):
    return CasePartyFactory(
        case=case, role=PartyRole.SUSPECT, person__first_name="John", person__last_name="Smith"
    ).person


# --- Helpers: the services, with sensible inputs -----------------------------------------------------


def consider(officer, case, victim, suspect, order_type=RO, **extra):
    return services.order_consider(
        actor=officer, case=case, order_type=order_type, respondent_id=suspect.pk, protected_ids=[victim.pk],
        court=COURT, **extra,
    )  # fmt: skip


def add_condition(officer, victim, *, order=None, bail=None, kind=c.ConditionKind.NO_CONTACT, **extra):
    inputs = {
        "rationale": "He has texted her every day since she left",
        "consultation": c.ConsultationOutcome.SUPPORTS,
        "consulted_on": ago(60),
        "victim_view": "She wants no contact at all",
    }
    if kind == c.ConditionKind.EXCLUSION_ZONE:
        inputs |= {"zone_address": "Acme Ltd, 1 Broad Street", "zone_radius_m": 100}
    return services.condition_add(
        actor=officer, kind=kind, protected_ids=[victim.pk], order=order, bail=bail, **(inputs | extra)
    )


def step(officer, order, action, **inputs):
    return services.order_transition(
        actor=officer, order=order, action=action, expected_version=order.version, **inputs
    )


def with_grounds(officer, order):
    return services.order_update_details(
        actor=officer, order=order, expected_version=order.version, court=COURT, applicant="The Chief Constable",
        grounds_acts="Followed her to work and texted her daily", grounds_risk="Psychological harm; fear",
        grounds_necessity="Nothing else has stopped him", hearing_at=None,
    )  # fmt: skip


def granted_order(officer, case, victim, suspect, *, order_type=RO, kind=c.ConditionKind.NO_CONTACT, applied=40,
                  granted=33, duration=(2, YEARS)):  # fmt: skip
    order = consider(officer, case, victim, suspect, order_type)
    add_condition(officer, victim, order=order, kind=kind)
    if order_type in c.SPO_TYPES:
        order = with_grounds(officer, order)
    order = step(officer, order, "draft")
    order = step(officer, order, "apply", on=ago(applied))
    return step(officer, order, "grant", on=ago(granted), duration_value=duration[0], duration_unit=duration[1])


def served_order(officer, case, victim, suspect, *, served=30, **extra):
    return step(officer, granted_order(officer, case, victim, suspect, **extra), "serve", on=ago(served))


def text_to(victim, day: date, **extra) -> IncidentInput:
    return IncidentInput(occurred_at=moment(day), channel=Channel.TEXT, victim_id=victim.pk, **extra)


def bail(officer, case, suspect, *, on=None, end=None, authority=c.BailAuthority.CUSTODY_OFFICER):
    on = on or ago(10)
    return services.route_record(
        actor=officer, case=case, suspect_id=suspect.pk, route=c.Route.PRE_CHARGE_BAIL, occurred_on=on,
        bail_end=end or on + timedelta(days=60), bail_authority=authority,
    )  # fmt: skip


def assess(officer, case, victim, yes: int):
    """A completed DASH (with the stalking questions) of `yes` yes answers: 3 standard, 10 medium, 15 high."""
    from risk import services as risk
    from risk.questionnaires import builtin_forms_by_kind

    forms = builtin_forms_by_kind()
    answers = {q.key: {"answer": "yes" if n < yes else "no"} for n, q in enumerate(forms["dash"].questions)}
    answers |= {q.key: {"answer": "no"} for q in forms["stalking_supplementary"].questions}
    draft = risk.risk_assessment_start(
        actor=officer, case=case, victim=victim, kinds=["dash", "stalking_supplementary"]
    )
    draft = risk.risk_assessment_answer(actor=officer, assessment=draft, expected_version=1, answers=answers)
    risk.risk_plan_action_add(
        actor=officer, assessment=draft, risk="Contact", action="Target-harden the home", owner="PC Shah",
        due_on=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip
    return risk.risk_assessment_complete(actor=officer, assessment=draft, expected_version=2, **plan_basics())


# --- Considering an order ---------------------------------------------------------------------------


def test_an_order_starts_as_considered_and_goes_on_the_timeline(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect)
    assert order.status == S.CONSIDERED and list(order.protected_people.all()) == [victim]
    assert TimelineEvent.objects.filter(case=case, kind=TimelineKind.ORDER, summary__endswith="considered").exists()


def test_an_order_is_against_the_suspect_and_protects_people_of_the_case(officer, case, victim, suspect):
    with pytest.raises(InvalidInput) as refused:
        services.order_consider(
            actor=officer, case=case, order_type=RO, respondent_id=victim.pk, protected_ids=[suspect.pk]
        )
    assert set(refused.value.errors) == {"respondent_id", "protected_ids"}


def test_an_officer_of_another_unit_cannot_consider_an_order(stranger, case, victim, suspect):
    with pytest.raises(InvalidInput, match="You may not change this case"):
        consider(stranger, case, victim, suspect)


def test_the_order_it_follows_must_be_in_the_same_case(officer, case, victim, suspect):
    elsewhere = ProtectiveOrderFactory(order_type=T.INTERIM_SPO)
    with pytest.raises(InvalidInput) as refused:
        consider(officer, case, victim, suspect, T.SPO, follows=elsewhere)
    assert "follows" in refused.value.errors


# --- Every transition, allowed and refused ----------------------------------------------------------

ACTION_INPUTS = {
    "draft": {},
    "not_pursue": {"reason": "She has moved abroad"},
    "apply": {},
    "grant": {"duration_value": 2, "duration_unit": YEARS},
    "refuse": {"reason": "The court found it not necessary"},
    "serve": {},
    "vary": {"reason": "Exclusion zone widened"},
    "renew": {"duration_value": 2, "duration_unit": YEARS},
    "discharge": {"reason": "Discharged on his application"},
    "expire": {},
}
ALLOWED = [(action, status) for action, (sources, _) in lifecycle.TRANSITIONS.items() for status in sorted(sources)]
# One meaningful wrong status per action (the pure tests cover every pair).
REFUSED_FROM = {
    "draft": S.APPLIED,
    "not_pursue": S.IN_FORCE,
    "apply": S.CONSIDERED,
    "grant": S.DRAFTED,  # never applied for
    "refuse": S.GRANTED,
    "serve": S.APPLIED,
    "vary": S.GRANTED,  # not yet served
    "renew": S.DRAFTED,
    "discharge": S.APPLIED,
    "expire": S.DISCHARGED,
}


def order_at(case, victim, suspect, status):
    """An order already at `status` (written directly), with a consulted condition, applied for and granted
    in the past and, where granted, expired yesterday: every action's other preconditions are met."""
    granted = status in c.BINDING_STATUSES | {S.DISCHARGED, S.EXPIRED}
    order = ProtectiveOrderFactory(
        case=case, respondent=suspect, protected_people=[victim], status=status, applied_on=ago(30),
        granted_on=ago(20) if granted else None, expires_on=ago(1) if granted else None,
    )  # fmt: skip
    ConditionFactory(order=order, protected_people=[victim])
    return order


def test_every_action_is_tested():
    assert set(ACTION_INPUTS) == set(lifecycle.TRANSITIONS) == set(REFUSED_FROM)


@pytest.mark.parametrize(("action", "status"), ALLOWED)
def test_each_action_moves_the_order_from_an_allowed_status(officer, case, victim, suspect, action, status):
    order = order_at(case, victim, suspect, status)
    moved = step(officer, order, action, **ACTION_INPUTS[action])
    assert moved.status == lifecycle.TRANSITIONS[action][1]
    assert moved.version == order.version + 1
    assert TimelineEvent.objects.filter(case=case, kind=TimelineKind.ORDER, source_id=str(order.pk)).exists()


@pytest.mark.parametrize("action", sorted(REFUSED_FROM))
def test_each_action_is_refused_from_a_wrong_status(officer, case, victim, suspect, action):
    order = order_at(case, victim, suspect, REFUSED_FROM[action])
    with pytest.raises(TransitionNotAllowed) as refused:
        step(officer, order, action, **ACTION_INPUTS[action])
    assert "action" in refused.value.errors
    order.refresh_from_db()
    assert (order.status, order.version) == (REFUSED_FROM[action], 1)


def test_granting_an_order_never_applied_for_is_refused(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.DRAFTED)
    with pytest.raises(TransitionNotAllowed, match="granted only after it has been applied for"):
        step(officer, order, "grant", duration_value=2, duration_unit=YEARS)


@pytest.mark.parametrize("action", ["not_pursue", "refuse", "vary", "discharge"])
def test_some_actions_need_a_reason(officer, case, victim, suspect, action):
    order = order_at(case, victim, suspect, sorted(lifecycle.TRANSITIONS[action][0])[0])
    with pytest.raises(InvalidInput) as refused:
        step(officer, order, action, reason="  ")
    assert "reason" in refused.value.errors


def test_a_stale_version_is_an_edit_conflict(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect)
    step(officer, order, "draft")
    with pytest.raises(EditConflict):
        step(officer, order, "not_pursue", reason="Charged instead")


def test_a_date_in_the_future_is_refused(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.APPLIED)
    with pytest.raises(InvalidInput) as refused:
        step(officer, order, "grant", on=timezone.localdate() + timedelta(days=1), duration_value=2,
             duration_unit=YEARS)  # fmt: skip
    assert "must not be in the future" in refused.value.errors["on"][0]


# --- Applying ---------------------------------------------------------------------------------------


def test_an_application_without_conditions_is_refused(officer, case, victim, suspect):
    order = step(officer, consider(officer, case, victim, suspect), "draft")
    with pytest.raises(InvalidInput) as refused:
        step(officer, order, "apply")
    assert "conditions" in refused.value.errors


def test_an_application_before_the_victim_is_consulted_is_refused(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect)
    add_condition(officer, victim, order=order)
    add_condition(officer, victim, order=order, kind=c.ConditionKind.NO_FOLLOWING,
                  consultation=c.ConsultationOutcome.NOT_CONSULTED, consulted_on=None, victim_view="")  # fmt: skip
    order = step(officer, order, "draft")
    with pytest.raises(InvalidInput) as refused:
        step(officer, order, "apply")
    assert refused.value.errors["consultation"] == ["Ask the victim about condition 2 first, and record what she said"]


def test_an_spo_application_without_the_three_grounds_is_refused(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect, T.SPO)
    add_condition(officer, victim, order=order)
    order = step(officer, order, "draft")
    with pytest.raises(InvalidInput) as refused:
        step(officer, order, "apply")
    assert {"grounds_acts", "grounds_risk", "grounds_necessity"} <= set(refused.value.errors)


def test_an_spo_application_with_its_grounds_is_accepted(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect, T.SPO)
    add_condition(officer, victim, order=order)
    order = step(officer, with_grounds(officer, order), "draft")
    assert step(officer, order, "apply", on=ago(2)).applied_on == ago(2)


def test_an_application_to_court_names_the_court(officer, case, victim, suspect):
    order = services.order_consider(
        actor=officer, case=case, order_type=RO, respondent_id=suspect.pk, protected_ids=[victim.pk]
    )
    add_condition(officer, victim, order=order)
    with pytest.raises(InvalidInput) as refused:
        step(officer, step(officer, order, "draft"), "apply")
    assert "court" in refused.value.errors


def test_a_notice_given_by_the_police_needs_no_court(officer, case, victim, suspect):
    order = services.order_consider(
        actor=officer, case=case, order_type=T.DVPN, respondent_id=suspect.pk, protected_ids=[victim.pk]
    )
    add_condition(officer, victim, order=order)
    assert step(officer, step(officer, order, "draft"), "apply").status == S.APPLIED


# --- Granting: durations and expiry -----------------------------------------------------------------


def test_a_granted_order_expires_on_the_last_day_of_its_duration(officer, case, victim, suspect):
    order = granted_order(officer, case, victim, suspect, granted=33, duration=(2, YEARS))
    assert order.granted_on == order.decided_on == ago(33)
    assert order.expires_on == lifecycle.expiry_date(ago(33), 2, YEARS)
    assert TimelineEvent.objects.filter(case=case, summary__contains=f"expires {order.expires_on:%d %b %Y}").exists()


def test_an_spo_for_less_than_two_years_is_refused(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.APPLIED)
    order.order_type = T.SPO
    order.save()
    with pytest.raises(InvalidInput, match="at least 2 years"):
        step(officer, order, "grant", duration_value=23, duration_unit=MONTHS)


def test_an_spo_until_further_order_has_no_expiry(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.APPLIED)
    order.order_type = T.SPO
    order.save()
    granted = step(officer, order, "grant", until_further_order=True, duration_value=5, duration_unit=YEARS)
    assert (granted.until_further_order, granted.expires_on, granted.duration_value) == (True, None, None)


@pytest.mark.parametrize(("days", "ok"), [(13, False), (14, True), (28, True), (29, False)])
def test_a_dvpo_is_granted_for_14_to_28_days(officer, case, victim, suspect, days, ok):
    order = order_at(case, victim, suspect, S.APPLIED)
    order.order_type = T.DVPO
    order.save()
    if ok:
        assert step(officer, order, "grant", duration_value=days, duration_unit=DAYS).expires_on == (
            timezone.localdate() + timedelta(days=days - 1)
        )
    else:
        with pytest.raises(InvalidInput, match="between 14 and 28 days"):
            step(officer, order, "grant", duration_value=days, duration_unit=DAYS)


def test_an_interim_spo_until_further_order_is_refused(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.APPLIED)
    order.order_type = T.INTERIM_SPO
    order.save()
    with pytest.raises(InvalidInput) as refused:
        step(officer, order, "grant", until_further_order=True)
    assert "until_further_order" in refused.value.errors


def test_the_decision_cannot_be_before_the_application(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.APPLIED)  # applied 30 days ago
    with pytest.raises(InvalidInput, match="cannot be before the application"):
        step(officer, order, "refuse", on=ago(31), reason="Not necessary")


# --- Service and notification -----------------------------------------------------------------------


def test_an_spo_served_must_be_notified_within_3_days(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect, order_type=T.SPO, served=10)
    assert (order.status, order.served_on) == (S.IN_FORCE, ago(10))
    assert order.notification_due_on == ago(7)


def test_a_full_spo_following_an_interim_one_needs_no_new_notification(officer, case, victim, suspect):
    interim = ProtectiveOrderFactory(case=case, order_type=T.INTERIM_SPO, in_force=True, respondent=suspect)
    order = consider(officer, case, victim, suspect, T.SPO, follows=interim)
    add_condition(officer, victim, order=order)
    order = step(officer, with_grounds(officer, order), "draft")
    order = step(officer, step(officer, order, "apply", on=ago(5)), "grant", on=ago(4), until_further_order=True)
    assert step(officer, order, "serve", on=ago(3)).notification_due_on is None


def test_a_restraining_order_has_no_notification_requirement(officer, case, victim, suspect):
    assert served_order(officer, case, victim, suspect).notification_due_on is None


def test_an_order_cannot_be_served_before_it_was_granted(officer, case, victim, suspect):
    order = granted_order(officer, case, victim, suspect, granted=20)
    with pytest.raises(InvalidInput, match="cannot be served before it was granted"):
        step(officer, order, "serve", on=ago(21))


def test_the_respondent_notifying_in_time_is_recorded(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect, order_type=T.SPO, served=10)
    order = services.order_respondent_notified(actor=officer, order=order, on=ago(8))
    assert order.respondent_notified_on == ago(8)
    assert TimelineEvent.objects.filter(case=case, summary__endswith="respondent notified name and address").exists()


def test_the_respondent_notifying_late_is_marked_late(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect, order_type=T.SPO, served=10)
    services.order_respondent_notified(actor=officer, order=order, on=ago(2))
    assert TimelineEvent.objects.filter(case=case, summary__endswith="name and address (late)").exists()


def test_the_respondent_cannot_notify_before_service(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect, order_type=T.SPO, served=10)
    with pytest.raises(InvalidInput, match="before the order was served"):
        services.order_respondent_notified(actor=officer, order=order, on=ago(11))


def test_notification_is_refused_for_an_order_without_the_requirement(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    with pytest.raises(TransitionNotAllowed, match="no notification requirement"):
        services.order_respondent_notified(actor=officer, order=order, on=ago(1))


# --- Discharge and expiry ---------------------------------------------------------------------------


def test_a_discharge_ends_the_order_with_its_reason(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    order = step(officer, order, "discharge", on=ago(2), reason="The court discharged it on his application")
    assert (order.status, order.ended_on, order.end_reason) == (
        S.DISCHARGED, ago(2), "The court discharged it on his application"
    )  # fmt: skip


def test_an_order_cannot_be_recorded_as_expired_before_its_expiry_date(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    with pytest.raises(InvalidInput, match="expiry date has passed"):
        step(officer, order, "expire")


def test_an_expired_order_ends_on_its_expiry_date(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect, applied=40, granted=33, served=30, duration=(14, DAYS))
    order = step(officer, order, "expire")
    assert (order.status, order.ended_on) == (S.EXPIRED, ago(20))


# --- The victim is told -----------------------------------------------------------------------------

NOTICE_FOR = {
    "grant": c.NoticeEvent.GRANTED,
    "serve": c.NoticeEvent.SERVED,
    "vary": c.NoticeEvent.VARIED,
    "renew": c.NoticeEvent.RENEWED,
    "discharge": c.NoticeEvent.DISCHARGED,
}


@pytest.mark.parametrize("action", sorted(NOTICE_FOR))
def test_the_victim_is_to_be_told_within_a_working_day(officer, case, victim, suspect, action):
    order = order_at(case, victim, suspect, sorted(lifecycle.TRANSITIONS[action][0])[0])
    step(officer, order, action, on=ago(3), **ACTION_INPUTS[action])
    notice = VictimNotice.objects.get(order=order)
    assert (notice.victim, notice.event, notice.event_on) == (victim, NOTICE_FOR[action], ago(3))
    assert notice.due_on == add_working_days(ago(3), 1) and notice.informed_at is None


@pytest.mark.parametrize("action", ["draft", "apply", "refuse", "expire"])
def test_other_steps_send_no_notice(officer, case, victim, suspect, action):
    order = order_at(case, victim, suspect, sorted(lifecycle.TRANSITIONS[action][0])[0])
    step(officer, order, action, **ACTION_INPUTS[action])
    assert not VictimNotice.objects.exists()


@pytest.mark.parametrize(
    ("granted_on", "due_on"),
    [
        (date(2025, 5, 7), date(2025, 5, 8)),  # a Wednesday: Thursday
        (date(2025, 5, 9), date(2025, 5, 12)),  # a Friday: Monday
        (date(2025, 5, 2), date(2025, 5, 6)),  # a Friday before the early May bank holiday: Tuesday
        (date(2025, 12, 24), date(2025, 12, 29)),  # Christmas Eve: past Christmas, Boxing Day and the weekend
    ],
)
def test_the_notice_is_due_the_next_working_day(officer, case, victim, suspect, granted_on, due_on):
    order = order_at(case, victim, suspect, S.APPLIED)
    order.applied_on = date(2025, 4, 1)
    order.save()
    step(officer, order, "grant", on=granted_on, **ACTION_INPUTS["grant"])
    assert VictimNotice.objects.get(order=order).due_on == due_on


def test_only_victims_among_the_protected_people_get_a_notice(officer, case, victim, suspect):
    child = CasePartyFactory(case=case, role=PartyRole.CHILD).person
    order = order_at(case, victim, suspect, S.APPLIED)
    order.protected_people.add(child)
    step(officer, order, "grant", **ACTION_INPUTS["grant"])
    assert list(VictimNotice.objects.values_list("victim", flat=True)) == [victim.pk]


def test_telling_the_victim_closes_the_notice_keeps_the_letter_and_logs_the_contact(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    notice = VictimNotice.objects.get(order=order, event=c.NoticeEvent.SERVED)
    told_at = timezone.now() - timedelta(hours=1)
    notice = services.victim_notice_informed(actor=officer, notice=notice, informed_at=told_at, method="phone")
    assert (notice.informed_at, notice.method, notice.informed_by) == (told_at, "phone", officer)
    assert "Not to contact Jane Doe directly or indirectly" in notice.letter
    contact = VictimContact.objects.get(case=case, victim=victim)
    assert contact.summary == "Told of order served (Restraining order on conviction)."


def test_a_letter_written_by_the_officer_is_kept_as_written(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    notice = VictimNotice.objects.get(order=order, event=c.NoticeEvent.SERVED)
    notice = services.victim_notice_informed(
        actor=officer, notice=notice, informed_at=timezone.now(), method="letter", letter="Dear Jane, ..."
    )
    assert notice.letter == "Dear Jane, ..."


def test_the_victim_cannot_be_told_twice_of_the_same_event(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    notice = VictimNotice.objects.get(order=order, event=c.NoticeEvent.SERVED)
    services.victim_notice_informed(actor=officer, notice=notice, informed_at=timezone.now(), method="phone")
    with pytest.raises(TransitionNotAllowed, match="already been told"):
        services.victim_notice_informed(actor=officer, notice=notice, informed_at=timezone.now(), method="phone")


@pytest.mark.parametrize(
    ("method", "later", "field"), [("pigeon", timedelta(0), "method"), ("phone", timedelta(hours=1), "informed_at")]
)
def test_telling_needs_a_known_method_and_a_past_time(officer, case, victim, suspect, method, later, field):
    order = served_order(officer, case, victim, suspect)
    notice = VictimNotice.objects.get(order=order, event=c.NoticeEvent.SERVED)
    with pytest.raises(InvalidInput) as refused:
        services.victim_notice_informed(actor=officer, notice=notice, informed_at=timezone.now() + later, method=method)
    assert field in refused.value.errors


def test_the_letter_names_the_order_its_end_and_its_conditions(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect, kind=c.ConditionKind.EXCLUSION_ZONE)
    add_condition(officer, victim, order=order)  # a variation adds no contact
    notice = VictimNotice.objects.get(order=order, event=c.NoticeEvent.SERVED)
    letter = services.victim_notice_letter(notice, author=officer)
    assert letter.startswith("Dear Jane Doe,")
    assert "Restraining order on conviction against John Smith has been served on him on" in letter
    assert f"It lasts until {order.expires_on:%-d %B %Y}." in letter
    assert "1. Not to enter within 100 metres of the confidential address." in letter
    assert "2. Not to contact Jane Doe directly or indirectly" in letter
    assert letter.rstrip().endswith(case.unit.name)


def test_the_discharge_letter_lists_no_conditions(officer, case, victim, suspect):
    order = step(officer, served_order(officer, case, victim, suspect), "discharge", reason="Discharged")
    notice = VictimNotice.objects.get(order=order, event=c.NoticeEvent.DISCHARGED)
    letter = services.victim_notice_letter(notice, author=officer)
    assert "It no longer binds him" in letter and "The conditions are" not in letter


# --- Conditions -------------------------------------------------------------------------------------


def test_a_standard_condition_takes_its_wording_and_checkable_parts_from_the_library(officer, case, victim, suspect):
    condition = add_condition(officer, victim, order=consider(officer, case, victim, suspect))
    assert condition.wording.startswith("Not to contact Jane Doe directly or indirectly")
    assert Channel.TEXT in condition.channels and condition.behaviours == ["contacting"]


def test_an_exclusion_zone_is_worded_without_its_address_and_tests_her_places(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect)
    zone = add_condition(officer, victim, order=order, kind=c.ConditionKind.EXCLUSION_ZONE)
    assert zone.wording == "Not to enter within 100 metres of the confidential address."
    assert zone.zone_address == "Acme Ltd, 1 Broad Street"
    assert zone.zone_places == sorted([Place.SCHOOL, Place.VICTIM_HOME, Place.VICTIM_WORK])


def test_an_exclusion_zone_needs_an_address_with_a_radius_or_an_area(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect)
    with pytest.raises(InvalidInput) as refused:
        add_condition(officer, victim, order=order, kind=c.ConditionKind.EXCLUSION_ZONE, zone_address="")
    assert "zone_address" in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        add_condition(officer, victim, order=order, kind=c.ConditionKind.EXCLUSION_ZONE, zone_radius_m=None)
    assert "zone_radius_m" in refused.value.errors


def test_a_free_condition_must_be_worded(officer, case, victim, suspect):
    with pytest.raises(InvalidInput) as refused:
        add_condition(officer, victim, order=consider(officer, case, victim, suspect), kind=c.ConditionKind.FREE)
    assert "wording" in refused.value.errors


def test_a_condition_protects_only_people_the_order_protects(officer, case, victim, suspect):
    witness = CasePartyFactory(case=case, role=PartyRole.WITNESS).person
    order = consider(officer, case, victim, suspect)
    with pytest.raises(InvalidInput, match="only the people the order protects"):
        add_condition(officer, witness, order=order)


def test_a_condition_needs_its_rationale(officer, case, victim, suspect):
    with pytest.raises(InvalidInput) as refused:
        add_condition(officer, victim, order=consider(officer, case, victim, suspect), rationale=" ")
    assert "rationale" in refused.value.errors


def test_a_consultation_needs_its_date_and_what_she_said(officer, case, victim, suspect):
    order = consider(officer, case, victim, suspect)
    with pytest.raises(InvalidInput) as refused:
        add_condition(officer, victim, order=order, consulted_on=None, victim_view="")
    assert {"consulted_on", "victim_view"} <= set(refused.value.errors)


def test_a_victim_who_could_not_be_contacted_has_no_view_to_record(officer, case, victim, suspect):
    condition = add_condition(
        officer, victim, order=consider(officer, case, victim, suspect),
        consultation=c.ConsultationOutcome.COULD_NOT_CONTACT, victim_view="",
    )  # fmt: skip
    assert condition.consultation == c.ConsultationOutcome.COULD_NOT_CONTACT


def test_recording_the_consultation_later(officer, case, victim, suspect):
    condition = add_condition(
        officer, victim, order=consider(officer, case, victim, suspect),
        consultation=c.ConsultationOutcome.NOT_CONSULTED, consulted_on=None, victim_view="",
    )  # fmt: skip
    condition = services.condition_record_consultation(
        actor=officer, condition=condition, consultation=c.ConsultationOutcome.WANTS_CHANGES, consulted_on=ago(1),
        victim_view=" She wants the zone to include her mother's house ",
    )  # fmt: skip
    assert (condition.consultation, condition.consulted_on, condition.victim_view) == (
        "wants_changes", ago(1), "She wants the zone to include her mother's house"
    )  # fmt: skip


def test_recording_the_consultation_needs_its_date(officer, case, victim, suspect):
    condition = ConditionFactory(order=consider(officer, case, victim, suspect), protected_people=[victim])
    with pytest.raises(InvalidInput) as refused:
        services.condition_record_consultation(
            actor=officer, condition=condition, consultation="supports", consulted_on=None, victim_view="Yes"
        )
    assert "consulted_on" in refused.value.errors


def test_an_ended_order_takes_no_new_condition(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.REFUSED)
    with pytest.raises(TransitionNotAllowed, match="takes no new conditions"):
        add_condition(officer, victim, order=order)


def test_the_first_bail_condition_tells_her_bail_conditions_are_set(officer, case, victim, suspect):
    route = bail(officer, case, suspect)
    add_condition(officer, victim, bail=route)
    notice = VictimNotice.objects.get(bail=route)
    assert (notice.event, notice.event_on) == (c.NoticeEvent.BAIL_GRANTED, timezone.localdate())


def test_more_bail_conditions_before_she_is_told_add_no_second_notice(officer, case, victim, suspect):
    route = bail(officer, case, suspect)
    add_condition(officer, victim, bail=route)
    add_condition(officer, victim, bail=route, kind=c.ConditionKind.NO_FOLLOWING)
    assert VictimNotice.objects.filter(bail=route).count() == 1


def test_a_bail_condition_added_after_she_was_told_is_a_change(officer, case, victim, suspect):
    route = bail(officer, case, suspect)
    add_condition(officer, victim, bail=route)
    services.victim_notice_informed(
        actor=officer, notice=VictimNotice.objects.get(bail=route), informed_at=timezone.now(), method="phone"
    )
    add_condition(officer, victim, bail=route, kind=c.ConditionKind.NO_FOLLOWING)
    assert VictimNotice.objects.get(bail=route, informed_at__isnull=True).event == c.NoticeEvent.BAIL_CHANGED


def test_conditions_are_added_only_to_current_bail(officer, case, victim, suspect):
    arrest = SuspectRouteFactory(case=case, suspect=suspect)
    with pytest.raises(TransitionNotAllowed, match="only to current bail"):
        add_condition(officer, victim, bail=arrest)


# --- Bail -------------------------------------------------------------------------------------------

AUTHORITY_LIMITS = [("custody_officer", 3), ("inspector", 6), ("superintendent", 9)]


@pytest.mark.parametrize(("authority", "months"), AUTHORITY_LIMITS)
def test_pre_charge_bail_up_to_the_authoritys_limit_is_accepted(officer, case, suspect, authority, months):
    start = ago(1)
    route = bail(officer, case, suspect, on=start, end=lifecycle.add_months(start, months), authority=authority)
    assert (route.bail_start, route.bail_end, route.bail_authority) == (
        start, lifecycle.add_months(start, months), authority
    )  # fmt: skip


@pytest.mark.parametrize(("authority", "months"), AUTHORITY_LIMITS)
def test_pre_charge_bail_a_day_beyond_the_authoritys_limit_is_refused(officer, case, suspect, authority, months):
    start = ago(1)
    beyond = lifecycle.add_months(start, months) + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        bail(officer, case, suspect, on=start, end=beyond, authority=authority)
    assert "needs a higher authority" in refused.value.errors["bail_end"][0]


def test_a_court_may_bail_for_longer(officer, case, suspect):
    route = bail(officer, case, suspect, end=ago(10) + timedelta(days=400), authority=c.BailAuthority.COURT)
    assert route.bail_authority == "court"


def test_bail_needs_its_end_and_who_authorised_it(officer, case, suspect):
    with pytest.raises(InvalidInput) as refused:
        services.route_record(
            actor=officer, case=case, suspect_id=suspect.pk, route=c.Route.PRE_CHARGE_BAIL, occurred_on=ago(1)
        )
    assert {"bail_end", "bail_authority"} <= set(refused.value.errors)


def test_an_inspector_may_extend_custody_officer_bail_to_six_months(officer, case, victim, suspect):
    start = ago(80)
    route = bail(officer, case, suspect, on=start, end=lifecycle.add_months(start, 3))
    six_months = lifecycle.add_months(start, 6)
    extension = services.bail_extend(
        actor=officer, route=route, new_end=six_months, authority=c.BailAuthority.INSPECTOR, authorised_on=ago(1)
    )
    route.refresh_from_db()
    assert (extension.previous_end, extension.new_end) == (lifecycle.add_months(start, 3), six_months)
    assert (route.bail_end, route.bail_authority) == (six_months, "inspector")
    assert VictimNotice.objects.get(bail=route).event == c.NoticeEvent.BAIL_CHANGED


def test_an_extension_beyond_the_authoritys_limit_is_refused(officer, case, suspect):
    start = ago(80)
    route = bail(officer, case, suspect, on=start, end=lifecycle.add_months(start, 3))
    with pytest.raises(InvalidInput, match="higher authority"):
        services.bail_extend(
            actor=officer, route=route, new_end=lifecycle.add_months(start, 6) + timedelta(days=1),
            authority=c.BailAuthority.INSPECTOR, authorised_on=ago(1),
        )  # fmt: skip
    assert not BailExtension.objects.exists()


def test_an_extension_must_end_after_the_current_end(officer, case, suspect):
    route = bail(officer, case, suspect)
    with pytest.raises(InvalidInput) as refused:
        services.bail_extend(
            actor=officer, route=route, new_end=route.bail_end, authority="inspector", authorised_on=ago(1)
        )
    assert "new_end" in refused.value.errors


def test_only_current_bail_can_be_extended(officer, case, suspect):
    arrest = SuspectRouteFactory(case=case, suspect=suspect)
    with pytest.raises(TransitionNotAllowed, match="not bail"):
        services.bail_extend(actor=officer, route=arrest, new_end=ago(-30), authority="inspector", authorised_on=ago(1))


def test_ending_bail_records_why_and_tells_the_victim_when_it_had_conditions(officer, case, victim, suspect):
    route = bail(officer, case, suspect)
    add_condition(officer, victim, bail=route)
    route = services.bail_end(actor=officer, route=route, ended_on=ago(1), reason="Charged and remanded")
    assert route.bail_ended_on == ago(1) and route.note.endswith("Bail ended: Charged and remanded")
    assert VictimNotice.objects.filter(bail=route, event=c.NoticeEvent.BAIL_ENDED).count() == 1
    with pytest.raises(TransitionNotAllowed, match="has ended"):
        services.bail_end(actor=officer, route=route, ended_on=ago(0), reason="Again")


def test_ending_bail_needs_a_reason_and_a_date_after_it_started(officer, case, suspect):
    route = bail(officer, case, suspect, on=ago(10))
    with pytest.raises(InvalidInput) as refused:
        services.bail_end(actor=officer, route=route, ended_on=ago(11), reason="")
    assert {"ended_on", "reason"} <= set(refused.value.errors)


# --- Routes that leave her unprotected --------------------------------------------------------------


def interview(officer, case, suspect, reason=""):
    return services.route_record(
        actor=officer, case=case, suspect_id=suspect.pk, route=c.Route.VOLUNTARY_INTERVIEW, occurred_on=ago(1),
        unprotected_reason=reason,
    )  # fmt: skip


@pytest.fixture
def high_risk_stalking(officer, case, victim):
    case.is_stalking = True
    case.save()
    assert assess(officer, case, victim, 15).grade == "high"
    return case


def test_a_voluntary_interview_in_a_high_risk_stalking_case_without_a_reason_is_refused(
    officer, high_risk_stalking, suspect
):
    with pytest.raises(InvalidInput) as refused:
        interview(officer, high_risk_stalking, suspect)
    assert "Give your reason; your supervisor will review it" in refused.value.errors["unprotected_reason"][0]


def test_a_voluntary_interview_with_a_reason_is_accepted_for_the_supervisor_to_review(
    officer, supervisor, high_risk_stalking, suspect
):
    route = interview(officer, high_risk_stalking, suspect, reason=" He attended at once; no grounds to arrest ")
    assert route.needs_review and route.reviewed_at is None
    assert route.unprotected_reason == "He attended at once; no grounds to arrest"
    assert TimelineEvent.objects.filter(
        case=high_risk_stalking, summary__endswith="reason: He attended at once; no grounds to arrest"
    ).exists()
    reviewed = services.route_review(actor=supervisor, route=route, note="Agreed; arrest if he contacts her")
    assert (reviewed.reviewed_by, reviewed.review_note) == (supervisor, "Agreed; arrest if he contacts her")


def test_a_medium_risk_case_needs_a_reason_too(officer, case, victim, suspect):
    assert assess(officer, case, victim, 10).grade == "medium"
    with pytest.raises(InvalidInput) as refused:
        interview(officer, case, suspect)
    assert "unprotected_reason" in refused.value.errors


def test_a_standard_risk_case_without_stalking_needs_no_reason(officer, case, victim, suspect):
    assert assess(officer, case, victim, 3).grade == "standard"
    route = interview(officer, case, suspect)
    assert not route.needs_review and route.unprotected_reason == ""


@pytest.mark.parametrize("route", [c.Route.RELEASED_UNDER_INVESTIGATION, c.Route.POSTAL_REQUISITION])
def test_rui_and_postal_requisition_in_a_stalking_case_need_a_reason(officer, case, suspect, route):
    case.is_stalking = True
    case.save()
    with pytest.raises(InvalidInput) as refused:
        services.route_record(actor=officer, case=case, suspect_id=suspect.pk, route=route, occurred_on=ago(1))
    assert "unprotected_reason" in refused.value.errors


def test_an_arrest_in_a_stalking_case_needs_no_reason(officer, case, suspect):
    case.is_stalking = True
    case.save()
    route = services.route_record(
        actor=officer, case=case, suspect_id=suspect.pk, route=c.Route.ARREST, occurred_on=ago(1)
    )
    assert not route.needs_review


def test_only_a_supervisor_reviews_a_route(officer, case, suspect):
    route = SuspectRouteFactory(case=case, suspect=suspect, route=c.Route.VOLUNTARY_INTERVIEW, needs_review=True)
    with pytest.raises(InvalidInput, match="Only a supervisor"):
        services.route_review(actor=officer, route=route, note="Fine")


def test_a_route_is_reviewed_only_once(supervisor, case, suspect):
    route = SuspectRouteFactory(case=case, suspect=suspect, route=c.Route.VOLUNTARY_INTERVIEW, needs_review=True)
    services.route_review(actor=supervisor, route=route, note="Agreed")
    with pytest.raises(TransitionNotAllowed, match="already been reviewed"):
        services.route_review(actor=supervisor, route=route, note="Agreed again")


def test_a_route_that_needs_no_review_cannot_be_reviewed(supervisor, case, suspect):
    route = SuspectRouteFactory(case=case, suspect=suspect)
    with pytest.raises(TransitionNotAllowed, match="does not need"):
        services.route_review(actor=supervisor, route=route, note="Agreed")


def test_a_review_needs_a_note(supervisor, case, suspect):
    route = SuspectRouteFactory(case=case, suspect=suspect, route=c.Route.VOLUNTARY_INTERVIEW, needs_review=True)
    with pytest.raises(InvalidInput) as refused:
        services.route_review(actor=supervisor, route=route, note=" ")
    assert "review_note" in refused.value.errors


# --- Logging a breach -------------------------------------------------------------------------------


def counts():
    return Incident.objects.count(), Breach.objects.count(), TimelineEvent.objects.count()


def test_a_breach_logs_the_incident_and_the_breach_together(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    condition = order.conditions.get()
    breach = services.breach_record(
        actor=officer, case=case, incident=text_to(victim, ago(3)), order=order, condition=condition
    )
    assert (breach.order, breach.condition, breach.incident.channel) == (order, condition, Channel.TEXT)
    assert breach.substantive_decision == c.SubstantiveDecision.NOT_YET
    kinds = list(TimelineEvent.objects.filter(case=case, occurred_at=moment(ago(3))).values_list("kind", flat=True))
    assert sorted(kinds) == [TimelineKind.BREACH, TimelineKind.INCIDENT]


def test_a_breach_outside_the_orders_period_is_refused_and_nothing_is_saved(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect, served=30)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(31)), order=order)
    assert f"It was in force from {ago(30):%-d %B %Y}" in refused.value.errors["occurred_at"][0]
    assert counts() == before


def test_a_breach_after_the_discharge_is_refused(officer, case, victim, suspect):
    order = step(officer, served_order(officer, case, victim, suspect), "discharge", on=ago(10), reason="Discharged")
    before = counts()
    with pytest.raises(InvalidInput, match="this is outside it"):
        services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(5)), order=order)
    assert counts() == before


def test_an_order_never_in_force_cannot_be_breached(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.APPLIED)
    with pytest.raises(InvalidInput, match="never in force"):
        services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(1)), order=order)
    assert not Incident.objects.exists()


def test_a_condition_of_another_order_is_refused(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    other = ConditionFactory(order=ProtectiveOrderFactory(case=case, in_force=True), protected_people=[victim])
    with pytest.raises(InvalidInput) as refused:
        services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(1)), order=order, condition=other)
    assert "condition_id" in refused.value.errors
    assert not Incident.objects.exists()


def test_an_order_of_another_case_is_refused(officer, case, victim):
    elsewhere = ProtectiveOrderFactory(in_force=True)
    with pytest.raises(InvalidInput, match="of this case"):
        services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(1)), order=elsewhere)


def test_a_breach_is_of_an_order_or_of_bail_not_both(officer, case, victim, suspect):
    order, route = ProtectiveOrderFactory(case=case, in_force=True), bail(officer, case, suspect)
    for given in ({}, {"order": order, "bail": route}):
        with pytest.raises(InvalidInput, match="Choose the order or the bail"):
            services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(1)), **given)


def test_a_breach_of_bail_is_logged(officer, case, victim, suspect):
    route = bail(officer, case, suspect, on=ago(10))
    breach = services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(2)), bail=route)
    assert breach.bail == route and breach.order is None


def test_breach_only_needs_a_reason(officer, case):
    breach = BreachFactory(order__case=case)
    with pytest.raises(InvalidInput) as refused:
        services.breach_substantive_decide(actor=officer, breach=breach, decision="breach_only", note="")
    assert "substantive_note" in refused.value.errors


def test_a_further_offence_decision_is_recorded(officer, case):
    breach = BreachFactory(order__case=case)
    breach = services.breach_substantive_decide(actor=officer, breach=breach, decision="further_offence", note="")
    assert breach.substantive_decision == "further_offence" and breach.substantive_decided_at is not None


def test_not_yet_is_not_a_decision(officer, case):
    with pytest.raises(InvalidInput, match="Choose whether"):
        services.breach_substantive_decide(actor=officer, breach=BreachFactory(order__case=case), decision="", note="")


# --- Breaches and arrests in the escalation detector ------------------------------------------------


def test_the_escalation_detector_sees_a_breach_of_an_order(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    breach = services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(2)), order=order)
    (seen,) = escalation_facts(case, current_rules()).breaches
    assert (seen.id, seen.occurred_at, seen.order_kind) == (breach.pk, moment(ago(2)), RO)


def test_the_escalation_detector_sees_a_breach_of_bail_as_bail(officer, case, victim, suspect):
    route = bail(officer, case, suspect)
    services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(2)), bail=route)
    assert [b.order_kind for b in escalation_facts(case, current_rules()).breaches] == ["bail"]


def test_an_arrest_counts_as_a_warning_and_a_voluntary_interview_does_not(officer, case, suspect):
    SuspectRouteFactory(case=case, suspect=suspect, route=c.Route.ARREST, occurred_on=ago(5))
    SuspectRouteFactory(case=case, suspect=suspect, route=c.Route.VOLUNTARY_INTERVIEW, occurred_on=ago(3))
    assert escalation_facts(case, current_rules()).warnings_or_arrests == (
        datetime.combine(ago(5), time.min, timezone.get_current_timezone()),
    )


# --- Breach proposals -------------------------------------------------------------------------------


def proposals(case):
    return list(BreachProposal.objects.filter(case=case))


def test_a_text_while_a_no_contact_order_is_in_force_is_proposed_on_commit(
    officer, case, victim, suspect, django_capture_on_commit_callbacks
):
    order = served_order(officer, case, victim, suspect)
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_record(actor=officer, case=case, data=text_to(victim, ago(2)))
    (proposal,) = proposals(case)
    assert (proposal.incident, proposal.condition, proposal.status) == (
        incident, order.conditions.get(), c.ProposalStatus.PROPOSED
    )  # fmt: skip
    assert proposal.reason == f"contact by text message on {ago(2):%d %b %Y}"


def test_the_refresh_proposes_each_match_once(officer, case, victim, suspect):
    served_order(officer, case, victim, suspect)
    incident_record(actor=officer, case=case, data=text_to(victim, ago(2)))
    assert services.breach_proposals_refresh(case.pk) == 1
    assert services.breach_proposals_refresh(case.pk) == 0
    assert len(proposals(case)) == 1


def test_an_incident_before_service_is_not_proposed(officer, case, victim, suspect):
    served_order(officer, case, victim, suspect, granted=33, served=30)
    incident_record(actor=officer, case=case, data=text_to(victim, ago(31)))  # granted, not yet served
    assert services.breach_proposals_refresh(case.pk) == 0


def test_an_incident_after_the_discharge_is_not_proposed(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    step(officer, order, "discharge", on=ago(10), reason="Discharged")
    incident_record(actor=officer, case=case, data=text_to(victim, ago(5)))
    assert services.breach_proposals_refresh(case.pk) == 0


def test_an_incident_logged_after_the_discharge_but_from_before_it_is_proposed(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    step(officer, order, "discharge", on=ago(10), reason="Discharged")
    incident_record(actor=officer, case=case, data=text_to(victim, ago(15)))
    assert services.breach_proposals_refresh(case.pk) == 1


def test_an_incident_after_the_expiry_is_not_proposed(officer, case, victim, suspect):
    served_order(officer, case, victim, suspect, granted=33, served=30, duration=(14, DAYS))  # to 20 days ago
    incident_record(actor=officer, case=case, data=text_to(victim, ago(19)))
    assert services.breach_proposals_refresh(case.pk) == 0


def test_an_incident_against_someone_the_order_does_not_protect_is_not_proposed(officer, case, victim, suspect):
    served_order(officer, case, victim, suspect)
    sister = CasePartyFactory(case=case, role=PartyRole.VICTIM).person
    incident_record(actor=officer, case=case, data=text_to(sister, ago(2)))
    assert services.breach_proposals_refresh(case.pk) == 0


def test_a_visit_to_her_workplace_inside_an_exclusion_zone_is_proposed(officer, case, victim, suspect):
    served_order(officer, case, victim, suspect, kind=c.ConditionKind.EXCLUSION_ZONE)
    visit = IncidentInput(
        occurred_at=moment(ago(2)), channel=Channel.IN_PERSON, place=Place.VICTIM_WORK, victim_id=victim.pk
    )
    incident_record(actor=officer, case=case, data=visit)
    assert services.breach_proposals_refresh(case.pk) == 1
    assert proposals(case)[0].reason.startswith("at the victim's work inside the exclusion zone")


def test_a_text_breaching_bail_conditions_is_proposed(officer, case, victim, suspect):
    route = bail(officer, case, suspect, on=ago(10))
    add_condition(officer, victim, bail=route)
    incident_record(actor=officer, case=case, data=text_to(victim, ago(3)))
    assert services.breach_proposals_refresh(case.pk) == 1
    assert proposals(case)[0].condition.bail == route


def test_a_text_after_bail_ended_is_not_proposed(officer, case, victim, suspect):
    route = bail(officer, case, suspect, on=ago(10))
    add_condition(officer, victim, bail=route)
    services.bail_end(actor=officer, route=route, ended_on=ago(5), reason="Charged and remanded")
    incident_record(actor=officer, case=case, data=text_to(victim, ago(3)))
    assert services.breach_proposals_refresh(case.pk) == 0


def test_an_incident_already_logged_as_a_breach_is_not_proposed(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    services.breach_record(actor=officer, case=case, incident=text_to(victim, ago(2)), order=order)
    assert services.breach_proposals_refresh(case.pk) == 0


def test_a_rejected_proposal_is_not_proposed_again(officer, case, victim, suspect):
    served_order(officer, case, victim, suspect)
    incident_record(actor=officer, case=case, data=text_to(victim, ago(2)))
    services.breach_proposals_refresh(case.pk)
    services.breach_proposal_reject(actor=officer, proposal=proposals(case)[0], reason="She texted him first")
    assert services.breach_proposals_refresh(case.pk) == 0


def test_the_refresh_is_audited(officer, case, victim, suspect):
    served_order(officer, case, victim, suspect)
    incident_record(actor=officer, case=case, data=text_to(victim, ago(2)))
    services.breach_proposals_refresh(case.pk)
    entry = AuditEntry.objects.get(object_type="orders.breachproposal", object_id=f"case {case.pk}")
    assert (entry.action, entry.detail) == ("collect", "1 breach proposal from the conditions in force")


def test_confirming_a_proposal_records_the_breach_and_settles_the_others(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    add_condition(officer, victim, order=order, kind=c.ConditionKind.NO_FOLLOWING)
    just_after_midnight = IncidentInput(
        occurred_at=moment(ago(0), hour=0), channel=Channel.TEXT, victim_id=victim.pk,
        behaviours=["contacting", "following"],
    )  # fmt: skip
    incident = incident_record(actor=officer, case=case, data=just_after_midnight)
    services.breach_proposals_refresh(case.pk)
    first, second = sorted(proposals(case), key=lambda p: p.pk)
    breach = services.breach_proposal_confirm(actor=officer, proposal=first)
    assert (breach.incident, breach.order, breach.condition) == (incident, order, first.condition)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.breach, first.decided_by) == (c.ProposalStatus.CONFIRMED, breach, officer)
    assert (second.status, second.rejection_reason) == (
        c.ProposalStatus.REJECTED, "Recorded as a breach of another condition"
    )  # fmt: skip
    assert TimelineEvent.objects.filter(case=case, kind=TimelineKind.BREACH, source_id=str(breach.pk)).exists()


def test_a_condition_added_to_an_order_in_force_binds_from_the_variation_not_before(officer, case, victim, suspect):
    order = served_order(officer, case, victim, suspect)
    condition = add_condition(officer, victim, order=order, kind=c.ConditionKind.NO_FOLLOWING)
    assert condition.starts_on == timezone.localdate()
    incident_record(actor=officer, case=case, data=text_to(victim, ago(2), behaviours=["following"]))
    services.breach_proposals_refresh(case.pk)
    assert [p for p in proposals(case) if p.condition_id == condition.pk] == []


def test_a_proposal_is_decided_once(officer, case):
    proposal = BreachProposalFactory(condition__order__case=case)
    services.breach_proposal_confirm(actor=officer, proposal=proposal)
    with pytest.raises(TransitionNotAllowed, match="already confirmed"):
        services.breach_proposal_confirm(actor=officer, proposal=proposal)
    proposal.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="already confirmed"):
        services.breach_proposal_reject(actor=officer, proposal=proposal, reason="Not him")


def test_rejecting_a_proposal_needs_a_reason(officer, case):
    proposal = BreachProposalFactory(condition__order__case=case)
    with pytest.raises(InvalidInput) as refused:
        services.breach_proposal_reject(actor=officer, proposal=proposal, reason=" ")
    assert "rejection_reason" in refused.value.errors
    rejected = services.breach_proposal_reject(actor=officer, proposal=proposal, reason="He was in custody")
    assert (rejected.status, rejected.rejection_reason) == (c.ProposalStatus.REJECTED, "He was in custody")


# --- Search warrants (PHA s.2B) ---------------------------------------------------------------------


def exhibit(case, officer, reference="PS/1"):
    return Evidence.objects.create(
        case=case, exhibit_reference=reference, description="His phone", file="evidence/x", original_name="x.jpg",
        content_type="image/jpeg", size=1, sha256="0" * 64, uploaded_by=officer,
    )  # fmt: skip


def apply_warrant(officer, case, **extra):
    inputs = {"premises": "14 Elm Road", "grounds": "s.2A: his phone and notebooks", "applied_on": ago(3),
              "court": COURT} | extra  # fmt: skip
    return services.warrant_apply(actor=officer, case=case, **inputs)


def test_a_warrant_is_only_for_a_stalking_case(officer, case):
    with pytest.raises(InvalidInput, match="flag the case as stalking first"):
        apply_warrant(officer, case)


def test_a_warrant_application_is_recorded_on_the_timeline(officer, case):
    case.is_stalking = True
    case.save()
    warrant = apply_warrant(officer, case)
    assert warrant.status == c.WarrantStatus.APPLIED
    assert TimelineEvent.objects.filter(case=case, kind=TimelineKind.WARRANT).exists()


def test_a_warrant_application_needs_premises_grounds_and_court(officer, case):
    case.is_stalking = True
    case.save()
    with pytest.raises(InvalidInput) as refused:
        apply_warrant(officer, case, premises="", grounds=" ", court="")
    assert {"premises", "grounds", "court"} <= set(refused.value.errors)


def test_a_warrant_granted_then_executed_with_exhibits_of_the_case(officer, case):
    warrant = SearchWarrantFactory(case=case)
    warrant = services.warrant_decide(actor=officer, warrant=warrant, granted=True, decided_on=ago(1))
    assert warrant.status == c.WarrantStatus.GRANTED
    phone = exhibit(case, officer)
    warrant = services.warrant_execute(
        actor=officer, warrant=warrant, executed_on=ago(0), officers="PC Shah, PC Jones", seized="A phone",
        evidence_ids=[phone.pk],
    )  # fmt: skip
    assert (warrant.status, list(warrant.seized_evidence.all())) == (c.WarrantStatus.EXECUTED, [phone])


def test_a_refused_warrant_needs_the_reason(officer, case):
    warrant = SearchWarrantFactory(case=case)
    with pytest.raises(InvalidInput) as refused:
        services.warrant_decide(actor=officer, warrant=warrant, granted=False, decided_on=ago(1))
    assert "refused_reason" in refused.value.errors
    warrant = services.warrant_decide(actor=officer, warrant=warrant, granted=False, decided_on=ago(1), reason="Weak")
    assert (warrant.status, warrant.refused_reason) == (c.WarrantStatus.REFUSED, "Weak")


def test_a_warrant_is_decided_once_and_not_before_its_application(officer, case):
    warrant = SearchWarrantFactory(case=case, applied_on=ago(2))
    with pytest.raises(InvalidInput, match="before the application"):
        services.warrant_decide(actor=officer, warrant=warrant, granted=True, decided_on=ago(3))
    services.warrant_decide(actor=officer, warrant=warrant, granted=True, decided_on=ago(1))
    with pytest.raises(TransitionNotAllowed, match="already granted"):
        services.warrant_decide(actor=officer, warrant=warrant, granted=False, decided_on=ago(1), reason="No")


def test_only_a_granted_warrant_is_executed(officer, case):
    warrant = SearchWarrantFactory(case=case)
    with pytest.raises(TransitionNotAllowed, match="Only a granted warrant"):
        services.warrant_execute(actor=officer, warrant=warrant, executed_on=ago(0), officers="PC Shah", seized="",
                                 evidence_ids=[])  # fmt: skip


def test_exhibits_of_another_case_are_refused(officer, case):
    warrant = SearchWarrantFactory(case=case, status=c.WarrantStatus.GRANTED, decided_on=ago(1))
    elsewhere = exhibit(CaseFactory(unit=case.unit, officer=officer), officer)
    with pytest.raises(InvalidInput) as refused:
        services.warrant_execute(actor=officer, warrant=warrant, executed_on=ago(0), officers="PC Shah", seized="",
                                 evidence_ids=[elsewhere.pk])  # fmt: skip
    assert "evidence_ids" in refused.value.errors


def test_an_execution_names_the_officers_and_is_not_before_the_grant(officer, case):
    warrant = SearchWarrantFactory(case=case, status=c.WarrantStatus.GRANTED, decided_on=ago(1))
    with pytest.raises(InvalidInput) as refused:
        services.warrant_execute(actor=officer, warrant=warrant, executed_on=ago(2), officers=" ", seized="",
                                 evidence_ids=[])  # fmt: skip
    assert {"executed_on", "officers"} <= set(refused.value.errors)


# --- Audit ------------------------------------------------------------------------------------------


def test_writes_are_audited_with_the_officer(officer, case, victim, suspect):
    from accounts import audit

    with audit.acting_as(officer):
        order = consider(officer, case, victim, suspect)
        step(officer, order, "draft")
    entries = AuditEntry.objects.filter(object_type="orders.protectiveorder", object_id=str(order.pk))
    assert list(entries.order_by("id").values_list("action", "actor")) == [
        ("collect", officer.pk),
        ("alter", officer.pk),
    ]


def test_each_victim_notice_is_audited(officer, case, victim, suspect):
    order = order_at(case, victim, suspect, S.APPLIED)
    step(officer, order, "grant", **ACTION_INPUTS["grant"])
    notice = VictimNotice.objects.get(order=order)
    assert AuditEntry.objects.filter(object_type="orders.victimnotice", object_id=str(notice.pk), action="collect")
