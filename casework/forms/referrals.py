"""The form to record a referral of the victim to support or specialist services (victim contact page)."""

from django import forms
from django.utils import timezone

from casework import choices as c
from casework.forms.fields import DateInput


class ReferralForm(forms.Form):
    prefix = "referral"

    victim_id = forms.TypedChoiceField(label="Victim", coerce=int)
    service = forms.ChoiceField(label="Service", choices=c.SupportService.choices)
    outcome = forms.ChoiceField(
        label="Outcome", choices=c.ReferralOutcome.choices, widget=forms.RadioSelect, initial=c.ReferralOutcome.REFERRED
    )
    referred_on = forms.DateField(label="Date referred or offered", widget=DateInput)
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if she declined: what was offered and why she declined",
    )

    def __init__(self, *args, victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim_id"].choices = victims
        if not self.is_bound:
            self.initial.setdefault("referred_on", timezone.localdate())
