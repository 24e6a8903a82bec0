"""One input contract for every way in (API, batch, CSV, HTML forms, the passed-on accept).

Each rule is a function answering the user's message, or None; the DRF and Django form fields at the
bottom wrap the same functions, so every way in refuses the same value with the same words.

- Dates of a police record: from 1 January of `RECORD_EARLIEST_YEAR` (1900) to `RECORD_LATEST_DAYS_AHEAD`
  (366) days from today (a date that may lie years ahead, the end of a condition, `years_ahead`). Later
  arithmetic (an order's expiry, the end of bail) cannot overflow.
- Whole numbers within their column: counts and other integers up to 2,147,483,647, small ones (callouts
  in 12 months) up to 32,767; never negative where the column is not.
- Text: no NUL character (PostgreSQL cannot store one), at most `MAX_TEXT` characters unless the field
  says less.
- Lists (behaviours, threats, ...): at most `MAX_LIST_ITEMS` items.
- A local time (no offset) in the hour that happens twice when the clocks go back is accepted once the
  user says which: the form asks "the first or the second 01:30", the API takes an offset
  (+01:00 for the first, BST; +00:00 for the second, GMT). A local time in the hour skipped when the
  clocks go forward is refused.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

INT_MAX = 2**31 - 1
SMALLINT_MAX = 2**15 - 1
MAX_TEXT = 20_000
MAX_LIST_ITEMS = 100
NUL_MESSAGE = "Remove the NUL character (an invisible control character) from the text"
WHICH_FIRST, WHICH_SECOND = "first", "second"


def earliest_date() -> date:
    return date(settings.RECORD_EARLIEST_YEAR, 1, 1)


def latest_date(years_ahead: int | None = None) -> date:
    """The latest date of a record: `RECORD_LATEST_DAYS_AHEAD` from today, or so many years for a date that
    may lie years ahead (the end of an order's condition)."""
    if years_ahead is None:
        return timezone.localdate() + timedelta(days=settings.RECORD_LATEST_DAYS_AHEAD)
    return timezone.localdate() + timedelta(days=366 * years_ahead)


def date_error(value: date | datetime, *, years_ahead: int | None = None) -> str | None:
    """A date (or the date of a date and time, as written) outside the range of a police record."""
    day = value.date() if isinstance(value, datetime) else value
    first, last = earliest_date(), latest_date(years_ahead)
    if first <= day <= last:
        return None
    return f"Enter a date between {first:%-d %B %Y} and {last:%-d %B %Y}"


def integer_error(value: int, *, minimum: int = 0, maximum: int = INT_MAX) -> str | None:
    if minimum <= value <= maximum:
        return None
    return f"Enter a whole number from {minimum:,} to {maximum:,}"


def text_error(value: str, max_length: int = MAX_TEXT) -> str | None:
    if "\x00" in value:
        return NUL_MESSAGE
    if len(value) > max_length:
        return f"Keep this to {max_length:,} characters or fewer (it has {len(value):,})"
    return None


def list_error(value: list) -> str | None:
    if len(value) > MAX_LIST_ITEMS:
        return f"Give at most {MAX_LIST_ITEMS} items"
    return None


# --- Local times and daylight saving ---------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def is_repeated(naive: datetime) -> bool:
    """The wall time happens twice (the night the clocks go back)."""
    zone = _zone()
    return naive.replace(tzinfo=zone, fold=0).utcoffset() != naive.replace(tzinfo=zone, fold=1).utcoffset()


def _offset_label(aware: datetime) -> str:
    offset = aware.utcoffset()
    sign, minutes = ("+", offset.seconds // 60) if offset >= timedelta(0) else ("-", -offset // timedelta(minutes=1))
    return f"{aware.tzname()}, {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def which_choices(naive: datetime) -> list[tuple[str, str]]:
    """The two readings of a repeated wall time, in words: "The first 01:30 (BST, +01:00)"."""
    zone = _zone()
    return [
        (which, f"The {which} {naive:%H:%M} ({_offset_label(naive.replace(tzinfo=zone, fold=fold))})")
        for which, fold in ((WHICH_FIRST, 0), (WHICH_SECOND, 1))
    ]


def local_time_error(naive: datetime, which: str = "", *, ask: str = "say which") -> str | None:
    """Why a local time with no offset cannot be placed on the clock, or None."""
    zone = _zone()
    if not _exists(naive, zone):
        return (
            f"{naive:%H:%M} on {naive:%-d %B %Y} did not happen: the clocks went forward an hour that night. "
            "Check the time"
        )
    if is_repeated(naive) and which not in (WHICH_FIRST, WHICH_SECOND):
        first, second = (label.removeprefix("The ") for _, label in which_choices(naive))
        return f"{naive:%H:%M} on {naive:%-d %B %Y} happened twice (the clocks went back): {ask}, {first} or {second}"
    return None


def make_local(naive: datetime, which: str = "") -> datetime:
    """The local time as an aware datetime; ValueError with the message when it cannot be placed."""
    if message := local_time_error(naive, which):
        raise ValueError(message)
    return naive.replace(tzinfo=_zone(), fold=1 if which == WHICH_SECOND else 0)


def record_datetime(value: datetime) -> datetime:
    """A date and time as given (with or without an offset), checked and made aware; ValueError with the
    message otherwise. Without an offset it is local time, refused when repeated or skipped: an API or a
    CSV line says which by giving the offset."""
    if message := date_error(value):
        raise ValueError(message)
    if timezone.is_aware(value):
        return value
    if message := local_time_error(value, ask="give the offset of the one you mean"):
        raise ValueError(message)
    return make_local(value)


def parse_record_datetime(text: str) -> datetime:
    """Text "2026-03-14T08:05", "2026-03-14 08:05+01:00" or with a Z, as a checked aware datetime."""
    try:
        parsed = parse_datetime(text.strip())
    except ValueError:  # well formed but impossible, such as 31 February
        parsed = None
    if parsed is None:
        raise ValueError("Enter a date and time such as 2026-03-14T08:05:00Z")
    return record_datetime(parsed)


# --- The same rules as fields ------------------------------------------------------------------------


class RecordDateTimeField(serializers.DateTimeField):
    """A date and time of a record in the API: ISO 8601; without an offset it is UK local time."""

    def to_internal_value(self, value):
        if isinstance(value, datetime):
            value = value.isoformat()
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|Z]")
        try:
            return parse_record_datetime(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class RecordDateField(serializers.DateField):
    """A date of a record in the API, within the range of a police record."""

    def __init__(self, *args, years_ahead: int | None = None, **kwargs):
        self.years_ahead = years_ahead
        super().__init__(*args, **kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if message := date_error(day, years_ahead=self.years_ahead):
            raise serializers.ValidationError(message)
        return day


class RecordDateFormField(forms.DateField):
    """A date typed in a form, within the range of a police record."""

    def __init__(self, *args, years_ahead: int | None = None, **kwargs):
        self.years_ahead = years_ahead
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and (message := date_error(day, years_ahead=self.years_ahead)):
            raise forms.ValidationError(message, code="range")
        return day


class LocalDateTimeFormField(forms.DateTimeField):
    """A date and time typed in a form: checked against the record's range and left as local wall time;
    `LocalTimesForm` places it on the clock (asking which, in the repeated hour)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        else:
            try:
                naive = parse_datetime(value.strip())
            except ValueError:
                naive = None
            if naive is None:
                naive = forms.BaseTemporalField.to_python(self, value)
            if timezone.is_aware(naive):
                naive = timezone.make_naive(naive)
        if message := date_error(naive):
            raise forms.ValidationError(message, code="range")
        return naive

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value


def which_field_name(name: str) -> str:
    return f"{name}_which"


class LocalTimesForm(forms.Form):
    """A form whose LocalDateTimeFormFields are placed on the clock in `clean`: a time in the repeated
    hour gains a "which of the two" question (`<field>_which`), shown only then."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, LocalDateTimeFormField) and self.is_bound:
                naive = self._raw_naive(name)
                if naive is not None and is_repeated(naive):
                    self.fields[which_field_name(name)] = forms.ChoiceField(
                        label=f"Which {naive:%H:%M}?",
                        choices=which_choices(naive),
                        widget=forms.RadioSelect,
                        required=False,
                        help_text="The clocks went back that night, so this time happened twice",
                    )

    def _raw_naive(self, name: str) -> datetime | None:
        try:
            return self.fields[name].to_python(self.data.get(self.add_prefix(name)))
        except forms.ValidationError:
            return None

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, LocalDateTimeFormField) or cleaned.get(name) is None:
                continue
            try:
                cleaned[name] = make_local(cleaned[name], cleaned.get(which_field_name(name), ""))
            except ValueError as exc:
                self.add_error(name, str(exc))
        for name in [name for name in cleaned if name.endswith("_which")]:
            del cleaned[name]  # the answer is in the time itself now
        return cleaned
