"""Forms of the victim contact pages."""

from django import forms

from casework import choices as c
from casework.forms.fields import DateTimeLocalInput, local_now
from casework.models import CaseParty
from config.input_contract import LocalDateTimeFormField, LocalTimesForm


class ContactForm(LocalTimesForm):
    victim_id = forms.TypedChoiceField(label="Victim", coerce=int)
    contacted_at = LocalDateTimeFormField(label="When", widget=DateTimeLocalInput)
    method = forms.ChoiceField(label="How", choices=c.ContactMethod.choices)
    summary = forms.CharField(label="What was said or agreed", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim_id"].choices = victims
        if not self.is_bound:
            self.initial.setdefault("contacted_at", local_now())


class EntitlementForm(forms.Form):
    enhanced = forms.TypedChoiceField(
        label="Is the victim entitled to enhanced services under the Victims' Code?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="Victims of persistent targeting, such as stalking, are entitled to enhanced services",
    )
    update_every_working_days = forms.IntegerField(
        label="Agreed update frequency, in working days",
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        help_text="Leave empty to use the Code's default",
    )

    @staticmethod
    def initial_for(party: CaseParty) -> dict:
        return {
            "enhanced": "yes" if party.victims_code_enhanced else "no",
            "update_every_working_days": party.update_every_working_days,
        }
