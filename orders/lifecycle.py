"""The rules of an order's life and of bail, as plain functions (no database): which transitions are
allowed, when an order expires, when the respondent must notify, how far each authority may bail."""

import calendar
from datetime import date, timedelta

from orders.choices import NOTICE_TYPES, DurationUnit, OrderStatus, OrderType

S = OrderStatus
# action → (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "draft": (frozenset({S.CONSIDERED}), S.DRAFTED),
    "not_pursue": (frozenset({S.CONSIDERED, S.DRAFTED}), S.NOT_PURSUED),
    "apply": (frozenset({S.DRAFTED}), S.APPLIED),
    "grant": (frozenset({S.APPLIED}), S.GRANTED),
    "refuse": (frozenset({S.APPLIED}), S.REFUSED),
    "serve": (frozenset({S.GRANTED}), S.IN_FORCE),
    "vary": (frozenset({S.IN_FORCE, S.VARIED, S.RENEWED}), S.VARIED),
    "renew": (frozenset({S.IN_FORCE, S.VARIED, S.RENEWED}), S.RENEWED),
    "discharge": (frozenset({S.GRANTED, S.IN_FORCE, S.VARIED, S.RENEWED}), S.DISCHARGED),
    "expire": (frozenset({S.GRANTED, S.IN_FORCE, S.VARIED, S.RENEWED}), S.EXPIRED),
}
ACTION_LABELS = {
    "draft": "Draft the application",
    "not_pursue": "Record that it will not be pursued",
    "apply": "Record the application",
    "grant": "Record the grant",
    "refuse": "Record the refusal",
    "serve": "Record service on the respondent",
    "vary": "Record a variation",
    "renew": "Record a renewal",
    "discharge": "Record the discharge",
    "expire": "Record that it has expired",
}


def transition_error(status: str, action: str, order_type: str = "") -> str | None:
    """Why the action cannot be taken from this status (None if it can)."""
    if action not in TRANSITIONS:
        return f"Unknown action {action!r}"
    sources, _ = TRANSITIONS[action]
    if status in sources:
        return None
    label = str(OrderStatus(status).label).lower()
    if action == "grant":
        return f"An order can be granted only after it has been applied for; this one is {label}"
    if action == "serve":
        return f"Only a granted order can be served; this one is {label}"
    return f"You cannot {ACTION_LABELS[action].lower()}: this order is {label}"


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(start: date, value: int, unit: str) -> date:
    """The last day an order of this duration is in force, counting the day it is made: the day before
    the same date that many months or years on. A 2-year order made on 1 March 2026 runs to 29 February
    2028; where that date does not exist the period ends with its month (made on 29 February 2028: to
    28 February 2030; 1 month from 31 March: to 30 April)."""
    if unit == DurationUnit.DAYS:
        return start + timedelta(days=value - 1)
    months = value if unit == DurationUnit.MONTHS else value * 12
    same_day = add_months(start, months)
    return same_day if same_day.day < start.day else same_day - timedelta(days=1)


# Statutory limits on duration (domain.md §5), checked when the grant is recorded.
DVPO_DAYS = (14, 28)
# The longest fixed term an order may be given (a longer one is a typing slip; "until further order" exists).
LONGEST_ORDER_YEARS = 100
FIXED_TERM_ONLY = frozenset({OrderType.INTERIM_SPO, OrderType.DVPO})


def duration_errors(order_type: str, start: date, until_further_order: bool, value, unit: str) -> dict[str, str]:
    if order_type in NOTICE_TYPES and not value:
        return {}  # a notice lasts until the court decides the order that must follow it
    if until_further_order:
        if order_type in FIXED_TERM_ONLY:
            label = OrderType(order_type).label
            return {"until_further_order": f"{'An' if label[0] in 'AEIOU' else 'A'} {label} is made for a fixed period"}
        return {}
    if not value or not unit:
        return {"duration_value": "Give the order's duration, or tick 'until further order'"}
    if value < 1:
        return {"duration_value": "The duration must be 1 or more"}
    try:
        last_day = expiry_date(start, value, unit)
        too_long = last_day > add_months(start, 12 * LONGEST_ORDER_YEARS)
    except (OverflowError, ValueError):  # past the year 9999
        too_long = True
    if too_long:
        return {"duration_value": f"An order can last at most {LONGEST_ORDER_YEARS} years: check the duration"}
    if order_type == OrderType.SPO and last_day < expiry_date(start, 2, DurationUnit.YEARS):
        return {"duration_value": "A Stalking Protection Order lasts at least 2 years, or until further order (s.3)"}
    if order_type == OrderType.DVPO and not DVPO_DAYS[0] <= (last_day - start).days + 1 <= DVPO_DAYS[1]:
        return {"duration_value": "A DVPO lasts between 14 and 28 days"}
    return {}


def notification_due(order_type: str, served_on: date, follows_type: str | None, days_by_type: dict) -> date | None:
    """When the respondent must have notified name(s) and home address (SPA 2019 s.9): days after
    service; not for a full SPO that replaces an interim one (s.9(1))."""
    if order_type not in days_by_type:
        return None
    if order_type == OrderType.SPO and follows_type == OrderType.INTERIM_SPO:
        return None
    return served_on + timedelta(days=days_by_type[order_type])


def bail_limit_error(start: date, end: date, authority: str, limits_months: dict) -> str | None:
    """Whether the authority may set bail to run to `end` (PCSC Act 2022: custody officer 3 months,
    inspector 6, superintendent 9, beyond that a court)."""
    if end < start:
        return "Bail cannot end before it starts"
    if authority == "court" or authority not in limits_months:
        return None
    limit = add_months(start, limits_months[authority])
    if end > limit:
        who = authority.replace("_", " ")
        return (
            f"{'An' if who[0] in 'aeiou' else 'A'} {who} may bail to {limit:%-d %B %Y} at most "
            f"({limits_months[authority]} months); a longer period needs a higher authority"
        )
    return None
