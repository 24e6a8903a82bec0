"""Working hours: the hours of weekends and bank holidays (England and Wales) do not count."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from casework.working_days import add_working_hours

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (datetime(2026, 3, 10, 10, 0), 8, datetime(2026, 3, 10, 18, 0)),  # Tuesday, same day
        (datetime(2026, 3, 10, 10, 0), 24, datetime(2026, 3, 11, 10, 0)),
        (datetime(2026, 3, 13, 16, 0), 24, datetime(2026, 3, 16, 16, 0)),  # Friday → Monday
        (datetime(2026, 3, 14, 11, 0), 1, datetime(2026, 3, 16, 1, 0)),  # from a Saturday
        (datetime(2026, 4, 2, 12, 0), 24, datetime(2026, 4, 7, 12, 0)),  # over Good Friday and Easter Monday
        (datetime(2026, 3, 10, 10, 0), 0, datetime(2026, 3, 10, 10, 0)),
    ],
)
def test_working_hours_skip_weekends_and_bank_holidays(start, hours, expected):
    assert add_working_hours(start.replace(tzinfo=LONDON), hours) == expected.replace(tzinfo=LONDON)
