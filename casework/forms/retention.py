"""The crime registrar's retention decision on a finalised case: retain (with the next review date, and
optionally moving it to the public protection group) or dispose (with a confirmation). The form parses
what was typed and asks for what each decision needs; the rules live in casework/services/retention.py."""

from django import forms

from casework.choices import RetentionDecisionKind
from casework.forms.fields import DateInput
from casework.services.retention import DISPOSAL_CONFIRMATION, REASON_MAX


class RetentionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=RetentionDecisionKind.choices, widget=forms.RadioSelect, required=True
    )
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the case is kept, or why it has no remaining policing purpose",
    )
    next_review_on = forms.DateField(
        label="Next review date", required=False, widget=DateInput, help_text="If you retain the case"
    )
    public_protection = forms.BooleanField(
        label="Move the case to the public protection group (group 1), for example MAPPA-managed",
        required=False,
    )
    confirmed = forms.BooleanField(label=DISPOSAL_CONFIRMATION, required=False, help_text="If you dispose of the case")

    def clean(self):
        data = super().clean()
        if data.get("decision") == RetentionDecisionKind.RETAIN and not data.get("next_review_on"):
            self.add_error("next_review_on", "Enter the next review date")
        if data.get("decision") == RetentionDecisionKind.DISPOSE and not data.get("confirmed"):
            self.add_error("confirmed", f"Confirm: {DISPOSAL_CONFIRMATION.lower()}")
        return data
