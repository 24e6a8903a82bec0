"""Forms of the officer's review of incidents passed on by the victim's advocate: accepting one as an
incident (the incident form, pre-filled, without the victim and reporter, which are fixed) and declining
one with a reason."""

from django import forms
from django.utils import timezone

from casework.forms.incidents import IncidentForm
from casework.models import PassedOnIncident
from casework.services.passed_on import accept_defaults


class PassedOnAcceptForm(IncidentForm):
    SERVICE_FIELDS = {}

    def __init__(self, *args, item: PassedOnIncident, **kwargs):
        initial = {
            name: timezone.localtime(value) if name in ("occurred_at", "reported_at") else value
            for name, value in accept_defaults(item).items()
        }
        super().__init__(*args, initial=initial, victims=[], **kwargs)
        del self.fields["victim"]
        del self.fields["reported_by"]
        self.fields["narrative"].label = "What happened (her account, as passed on)"

    def incident_fields(self) -> dict:
        """The incident fields for `passed_on_accept`; left blank, when it was reported stays the moment
        the advocate passed it on."""
        data = dict(self.cleaned_data)
        data["count"] = 1 if data["count"] is None else data["count"]
        data["report_method"] = data["report_method"] or IncidentForm.base_fields["report_method"].initial
        if data["reported_at"] is None:
            del data["reported_at"]
        return data


class PassedOnDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why it is not added to the course of conduct",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The advocate will see this",
    )
