"""The timeline filters of the case page."""

from django import forms

from casework import choices as c
from casework.forms.fields import DateInput, checkboxes, optional_select


class TimelineFilterForm(forms.Form):
    kind = checkboxes(c.TimelineKind.choices, "What")
    channel = optional_select(c.Channel.choices, "How", empty="Any way")
    person = forms.TypedChoiceField(label="Person", coerce=int, empty_value=None, required=False)
    date_from = forms.DateField(label="From", widget=DateInput, required=False)
    date_to = forms.DateField(label="To", widget=DateInput, required=False)
    cursor = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]
