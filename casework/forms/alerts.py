"""Forms of the alert pages: the list's filters, and acknowledging or snoozing one alert."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from casework import choices as c
from casework.forms.fields import DateTimeLocalInput, optional_select
from casework.selectors import ALERT_STATES

STATE_LABELS = {"open": "Open", "snoozed": "Snoozed", "resolved": "Resolved", "all": "Any state"}


class AlertListForm(forms.Form):
    """The filters of the alert list (a GET form: invalid values are ignored)."""

    state = forms.ChoiceField(label="State", choices=[(s, STATE_LABELS[s]) for s in ALERT_STATES], required=False)
    kind = optional_select(c.AlertKind.choices, "Kind", empty="Any kind")
    mine = forms.BooleanField(label="Only cases where I am the officer in the case", required=False)
    overdue = forms.BooleanField(label="Only overdue or urgent", required=False)
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)
    officer = forms.CharField(required=False, max_length=150, widget=forms.HiddenInput)
    audience = forms.ChoiceField(choices=c.AlertAudience.choices, required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "state": data.get("state") or "open",
            "kind": data.get("kind", ""),
            "mine": data.get("mine", False),
            "overdue": data.get("overdue", False),
            "case": data.get("case"),
            "officer": (data.get("officer") or "").strip(),
            "audience": data.get("audience", ""),
        }


class AlertAcknowledgeForm(forms.Form):
    reason = forms.CharField(
        label="What are you doing about it?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason"},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AlertSnoozeForm(forms.Form):
    until = forms.DateTimeField(
        label="Snooze until",
        widget=DateTimeLocalInput,
        help_text="At most 14 days from now",
        error_messages={"required": "Say until when to snooze"},
    )
    reason = forms.CharField(
        label="Why can it wait?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason"},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def default_until():
        return (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)
