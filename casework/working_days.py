"""Working days in England and Wales, for Victims' Code deadlines (bank-holiday data ships offline)."""

from datetime import date, datetime, time, timedelta
from functools import cache

from django.utils import timezone
from govuk_bank_holidays.bank_holidays import BankHolidays


@cache
def _bank_holidays() -> frozenset[date]:
    calendar = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in calendar.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


def add_working_days(start: date, days: int) -> date:
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_working_hours(start: datetime, hours: int) -> datetime:
    """The moment `hours` of working days after `start`, counted on the local clock: the hours of weekends
    and bank holidays do not count (Friday 16:00 + 24 working hours is Monday 16:00)."""
    moment = timezone.localtime(start)
    remaining = timedelta(hours=hours)
    while remaining > timedelta(0):
        next_midnight = datetime.combine(moment.date() + timedelta(days=1), time(), moment.tzinfo)
        if is_working_day(moment.date()):
            step = min(remaining, next_midnight - moment)
            remaining -= step
            moment += step
        else:
            moment = next_midnight
    return moment
