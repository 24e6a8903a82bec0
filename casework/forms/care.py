"""Forms of the advocate's page (journey 5): a safety plan measure, marking one done, and an incident the
victim told her about, passed on to the officer. They parse what was typed; the rules live in
casework/services/care.py, whose refusals come back onto the form through `show_refusal`."""

from django import forms

from casework import choices as c
from casework.forms.fields import DateInput, DateTimeLocalInput, local_now
from config.input_contract import LocalDateTimeFormField, LocalTimesForm


class SafetyPlanItemForm(forms.Form):
    prefix = "plan"

    victim_id = forms.TypedChoiceField(label="Victim", coerce=int)
    risk = forms.CharField(label="Risk", help_text="What the measure protects her from", max_length=300)
    measure = forms.CharField(label="Measure", widget=forms.Textarea(attrs={"rows": 3}), help_text="What will be done")
    owner = forms.CharField(
        label="Who does it", required=False, max_length=200, help_text="For example: her, the advocate, the police"
    )
    review_on = forms.DateField(label="Review date", required=False, widget=DateInput)

    def __init__(self, *args, victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim_id"].choices = victims


class SafetyPlanDoneForm(forms.Form):
    done_on = forms.DateField(label="Date done", required=False, widget=DateInput, help_text="Leave empty for today")


class PassedOnForm(LocalTimesForm):
    prefix = "passed"

    victim_id = forms.TypedChoiceField(label="Victim", coerce=int)
    occurred_at = LocalDateTimeFormField(label="When it happened", widget=DateTimeLocalInput)
    channel = forms.ChoiceField(label="How he made contact", choices=[("", "Choose how"), *c.Channel.choices])
    count = forms.IntegerField(
        label="How many times",
        initial=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        help_text="For example, 12 messages in one evening",
    )
    account = forms.CharField(
        label="What she said happened",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In her words. The officer reads this before adding it to the course of conduct",
    )

    def __init__(self, *args, victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim_id"].choices = victims
        self.fields["account"].validators = []  # NUL and length: the service refuses them (the input contract)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", local_now())
