"""Widgets and field helpers shared by the casework forms."""

from datetime import datetime

from django import forms
from django.utils import timezone

from casework import choices as c
from casework.models import CaseParty


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-20", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


def local_now() -> datetime:
    """Now, to the minute, in local time: the default of every "when" field."""
    return timezone.localtime().replace(second=0, microsecond=0)


def checkboxes(choices, label: str, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def optional_select(choices, label: str, empty: str = "Not recorded", **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", empty), *choices], required=False, **kwargs)


def victim_choices(parties: list[CaseParty]) -> list[tuple[int, str]]:
    return [(p.person_id, str(p.person)) for p in parties if p.role == c.PartyRole.VICTIM]
