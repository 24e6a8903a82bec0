"""The form to record a referral of the victim to support or specialist services (victim contact page),
and the form to end one."""

from django import forms
from django.utils import timezone

from accounts.models import SupportOrganisation
from casework import choices as c
from casework.forms.fields import DateInput
from casework.services.referrals import END_REASON_MAX

YES_NO = [("yes", "Yes"), ("no", "No")]


class ReferralForm(forms.Form):
    prefix = "referral"

    victim_id = forms.TypedChoiceField(label="Victim", coerce=int)
    service = forms.ChoiceField(label="Service", choices=c.SupportService.choices)
    outcome = forms.ChoiceField(
        label="Outcome", choices=c.ReferralOutcome.choices, widget=forms.RadioSelect, initial=c.ReferralOutcome.REFERRED
    )
    referred_on = forms.DateField(label="Date referred or offered", widget=DateInput)
    organisation_id = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="A service on this system: its advocates will see her victim-safe view if she agrees",
    )
    consent_to_share = forms.TypedChoiceField(
        label="She agrees to her details being shared with this service",
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Needed when an organisation is chosen",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if she declined: what was offered and why she declined",
    )

    def __init__(self, *args, victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim_id"].choices = victims
        self.fields["consent_to_share"].required_when = "an organisation is chosen"  # the service checks it
        organisations = SupportOrganisation.objects.order_by("name").values_list("pk", "name")
        self.fields["organisation_id"].choices = [("", "None: a service outside this system"), *organisations]
        if not self.is_bound:
            self.initial.setdefault("referred_on", timezone.localdate())


class ReferralEndForm(forms.Form):
    ended_on = forms.DateField(label="Date the service stopped working with her", widget=DateInput)
    reason = forms.CharField(label="Why it ends", max_length=END_REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("ended_on", timezone.localdate())
