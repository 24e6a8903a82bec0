"""The pure rules of an order's life and of bail (orders/lifecycle.py): no database."""

from datetime import date, timedelta

import pytest

from orders import lifecycle
from orders.choices import DurationUnit, OrderStatus, OrderType

DAYS, MONTHS, YEARS = DurationUnit.DAYS, DurationUnit.MONTHS, DurationUnit.YEARS
NOTIFY = {"interim_spo": 3, "spo": 3, "dapo": 3}
BAIL_LIMITS = {"custody_officer": 3, "inspector": 6, "superintendent": 9}

ALLOWED = [(action, status) for action, (sources, _) in lifecycle.TRANSITIONS.items() for status in sorted(sources)]
REFUSED = [
    (action, status)
    for action, (sources, _) in lifecycle.TRANSITIONS.items()
    for status in OrderStatus.values
    if status not in sources
]


# --- Transitions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "status"), ALLOWED)
def test_an_action_is_allowed_from_its_source_statuses(action, status):
    assert lifecycle.transition_error(status, action) is None
    assert action in lifecycle.allowed_actions(status)


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_an_action_is_refused_from_any_other_status_with_a_reason(action, status):
    message = lifecycle.transition_error(status, action)
    assert message and OrderStatus(status).label.lower() in message
    assert action not in lifecycle.allowed_actions(status)


def test_granting_an_order_never_applied_for_is_refused_in_plain_words():
    assert lifecycle.transition_error(OrderStatus.DRAFTED, "grant") == (
        "An order can be granted only after it has been applied for; this one is drafted"
    )


def test_serving_an_order_not_granted_is_refused_in_plain_words():
    assert lifecycle.transition_error(OrderStatus.APPLIED, "serve") == (
        "Only a granted order can be served; this one is applied for"
    )


def test_the_refusal_names_the_action_and_the_status():
    assert lifecycle.transition_error(OrderStatus.CONSIDERED, "vary") == (
        "You cannot record a variation: this order is considered"
    )


def test_an_unknown_action_is_refused():
    assert lifecycle.transition_error(OrderStatus.CONSIDERED, "appeal") == "Unknown action 'appeal'"


def test_ended_orders_allow_no_action():
    for status in (OrderStatus.NOT_PURSUED, OrderStatus.REFUSED, OrderStatus.DISCHARGED, OrderStatus.EXPIRED):
        assert lifecycle.allowed_actions(status) == []


def test_every_action_has_a_label():
    assert set(lifecycle.ACTION_LABELS) == set(lifecycle.TRANSITIONS)


# --- Expiry -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "value", "unit", "last_day"),
    [
        (date(2026, 3, 1), 2, YEARS, date(2028, 2, 29)),  # runs through the leap day
        (date(2027, 3, 1), 2, YEARS, date(2029, 2, 28)),
        (date(2028, 2, 29), 2, YEARS, date(2030, 2, 28)),  # no 29 February in 2030: ends with February
        (date(2028, 2, 29), 4, YEARS, date(2032, 2, 28)),
        (date(2026, 1, 15), 1, MONTHS, date(2026, 2, 14)),
        (date(2026, 1, 31), 1, MONTHS, date(2026, 2, 28)),  # month end into a shorter month
        (date(2028, 1, 31), 1, MONTHS, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, MONTHS, date(2026, 4, 30)),
        (date(2026, 11, 30), 3, MONTHS, date(2027, 2, 28)),
        (date(2026, 12, 15), 6, MONTHS, date(2027, 6, 14)),  # across the year end
        (date(2026, 6, 1), 1, DAYS, date(2026, 6, 1)),  # the day it is made counts
        (date(2026, 6, 1), 14, DAYS, date(2026, 6, 14)),
        (date(2028, 2, 20), 28, DAYS, date(2028, 3, 18)),
    ],
)
def test_expiry_date_is_the_last_day_in_force(start, value, unit, last_day):
    assert lifecycle.expiry_date(start, value, unit) == last_day


def test_add_months_keeps_to_the_end_of_a_shorter_month():
    assert lifecycle.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert lifecycle.add_months(date(2026, 1, 10), 12) == date(2027, 1, 10)


# --- Statutory durations ----------------------------------------------------------------------------

START = date(2026, 3, 1)


def test_an_spo_of_two_years_is_accepted():
    assert lifecycle.duration_errors(OrderType.SPO, START, False, 2, YEARS) == {}


@pytest.mark.parametrize(("value", "unit"), [(23, MONTHS), (1, YEARS), (730, DAYS)])
def test_an_spo_shorter_than_two_years_is_refused(value, unit):
    # 730 days from 1 March 2026 ends on 28 February 2028, a day short of 2 years (2028 is a leap year).
    errors = lifecycle.duration_errors(OrderType.SPO, START, False, value, unit)
    assert "at least 2 years" in errors["duration_value"]


def test_an_spo_until_further_order_is_accepted():
    assert lifecycle.duration_errors(OrderType.SPO, START, True, None, "") == {}


def test_an_interim_spo_until_further_order_is_refused():
    errors = lifecycle.duration_errors(OrderType.INTERIM_SPO, START, True, None, "")
    assert errors == {"until_further_order": "An Interim Stalking Protection Order is made for a fixed period"}


def test_an_interim_spo_for_a_fixed_period_is_accepted():
    assert lifecycle.duration_errors(OrderType.INTERIM_SPO, START, False, 3, MONTHS) == {}


@pytest.mark.parametrize(("days", "ok"), [(13, False), (14, True), (21, True), (28, True), (29, False)])
def test_a_dvpo_lasts_14_to_28_days(days, ok):
    errors = lifecycle.duration_errors(OrderType.DVPO, START, False, days, DAYS)
    assert (errors == {}) is ok
    if not ok:
        assert errors["duration_value"] == "A DVPO lasts between 14 and 28 days"


def test_a_dvpo_until_further_order_is_refused():
    assert "until_further_order" in lifecycle.duration_errors(OrderType.DVPO, START, True, None, "")


@pytest.mark.parametrize(("value", "unit"), [(None, YEARS), (2, ""), (0, MONTHS)])
def test_a_fixed_order_needs_a_duration(value, unit):
    errors = lifecycle.duration_errors(OrderType.RESTRAINING_ORDER_CONVICTION, START, False, value, unit)
    assert "duration_value" in errors


def test_a_restraining_order_may_be_short():
    assert lifecycle.duration_errors(OrderType.RESTRAINING_ORDER_CONVICTION, START, False, 6, MONTHS) == {}


# --- Notification (SPA 2019 s.9) --------------------------------------------------------------------

SERVED = date(2026, 5, 7)


@pytest.mark.parametrize("order_type", [OrderType.SPO, OrderType.INTERIM_SPO, OrderType.DAPO])
def test_the_respondent_must_notify_within_3_days_of_service(order_type):
    assert lifecycle.notification_due(order_type, SERVED, None, NOTIFY) == SERVED + timedelta(days=3)


def test_a_full_spo_following_an_interim_one_has_no_new_notification():
    assert lifecycle.notification_due(OrderType.SPO, SERVED, OrderType.INTERIM_SPO, NOTIFY) is None


def test_a_full_spo_following_another_kind_of_order_still_needs_notification():
    assert lifecycle.notification_due(OrderType.SPO, SERVED, OrderType.DVPO, NOTIFY) == date(2026, 5, 10)


def test_a_restraining_order_has_no_notification_requirement():
    assert lifecycle.notification_due(OrderType.RESTRAINING_ORDER_CONVICTION, SERVED, None, NOTIFY) is None


# --- Pre-charge bail limits (PCSC Act 2022) ---------------------------------------------------------

BAILED = date(2026, 1, 10)


@pytest.mark.parametrize(("authority", "months"), [("custody_officer", 3), ("inspector", 6), ("superintendent", 9)])
def test_each_authority_may_bail_up_to_its_limit(authority, months):
    limit = lifecycle.add_months(BAILED, months)
    assert lifecycle.bail_limit_error(BAILED, limit, authority, BAIL_LIMITS) is None


@pytest.mark.parametrize(("authority", "months"), [("custody_officer", 3), ("inspector", 6), ("superintendent", 9)])
def test_a_day_beyond_the_authoritys_limit_is_refused(authority, months):
    beyond = lifecycle.add_months(BAILED, months) + timedelta(days=1)
    message = lifecycle.bail_limit_error(BAILED, beyond, authority, BAIL_LIMITS)
    assert message and f"({months} months)" in message and "higher authority" in message


def test_custody_officer_limit_is_named_as_a_date():
    message = lifecycle.bail_limit_error(BAILED, date(2026, 4, 11), "custody_officer", BAIL_LIMITS)
    assert message.startswith("A custody officer may bail to 10 April 2026 at most")


def test_a_court_may_bail_without_limit():
    assert lifecycle.bail_limit_error(BAILED, date(2028, 1, 10), "court", BAIL_LIMITS) is None


def test_bail_cannot_end_before_it_starts():
    assert lifecycle.bail_limit_error(BAILED, date(2026, 1, 9), "court", BAIL_LIMITS) == (
        "Bail cannot end before it starts"
    )
