"""Forms of the incident pages."""

import uuid

from django import forms
from django.utils import timezone

from casework import choices as c
from casework.forms.fields import DateTimeLocalInput, checkboxes, local_now, optional_select
from casework.services.incidents import TEXT_LIMITS, IncidentInput
from config.input_contract import LocalDateTimeFormField, LocalTimesForm


class IncidentForm(LocalTimesForm):
    """One incident, "in under a minute": every field has a default or is optional but when and how.
    Its values are checked by the service (`incident_errors`), as on every other way in."""

    occurred_at = LocalDateTimeFormField(
        label="When did it happen?", widget=DateTimeLocalInput, help_text="Or the start, if it went on for a while"
    )
    occurred_until = LocalDateTimeFormField(
        label="Until", widget=DateTimeLocalInput, required=False, help_text="The end, if it went on for a while"
    )
    victim = forms.TypedChoiceField(label="Victim", coerce=int, empty_value=None, required=False)
    channel = forms.ChoiceField(label="How", choices=[("", "Choose how"), *c.Channel.choices])
    count = forms.IntegerField(
        label="How many contacts?",
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        help_text="43 texts in a day can be one line with 43 here",
    )
    place = optional_select(c.Place.choices, "Where")
    behaviours = checkboxes(c.Behaviour.choices, "Behaviours (Protection from Harassment Act 1997 s.2A(3))")
    threats = checkboxes(c.Threat.choices, "Threats made")
    weapon = forms.CharField(label="Weapon used or mentioned", required=False)
    injury = forms.BooleanField(label="The victim was injured", required=False)
    victim_feared_violence = forms.BooleanField(label="The victim feared violence would be used", required=False)
    impacts = checkboxes(c.Impact.choices, "Effect on the victim's day-to-day life")
    entry = optional_select(c.EntryKind.choices, "Did he get in, or try to?", empty="No")
    entry_place = optional_select(c.EntryPlace.choices, "Into", empty="Not recorded")
    circumstances = checkboxes(c.Circumstance.choices, "Also")
    new_identity_kind = optional_select(c.NewIdentityKind.choices, "New number, account or name used", empty="None")
    new_identity = forms.CharField(
        label="The number, account or name", required=False, help_text="It is added to his identifiers"
    )
    narrative = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    reported_at = LocalDateTimeFormField(label="When was it reported?", widget=DateTimeLocalInput, required=False)
    reported_by = forms.ChoiceField(
        label="Reported by", choices=c.ReportedBy.choices, initial=c.ReportedBy.VICTIM, required=False
    )
    report_method = forms.ChoiceField(
        label="How it was reported", choices=c.ReportMethod.choices, initial=c.ReportMethod.IN_PERSON, required=False
    )

    # The field a service error names, when it is not the form's own name for it.
    SERVICE_FIELDS = {"victim_id": "victim"}

    def __init__(self, *args, victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].choices = [("", "Not linked to a victim"), *victims]
        for name in TEXT_LIMITS:  # NUL and length: the service refuses them in the words of every way in
            self.fields[name].validators = []
        if not self.is_bound and "occurred_at" not in self.initial:
            now = local_now()
            self.initial.update({"occurred_at": now, "reported_at": now})
            if len(victims) == 1:
                self.initial["victim"] = victims[0][0]

    def incident_input(self) -> IncidentInput:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["victim_id"] = data.pop("victim")
        # The compact form on the case page leaves these out: the defaults apply.
        data["count"] = 1 if data["count"] is None else data["count"]
        data["reported_by"] = data["reported_by"] or c.ReportedBy.VICTIM
        data["report_method"] = data["report_method"] or c.ReportMethod.IN_PERSON
        return IncidentInput.from_dict(data)

    @staticmethod
    def initial_for(incident) -> dict:
        names = [
            "occurred_at", "occurred_until", "channel", "count", "place", "behaviours", "threats", "weapon",
            "injury", "victim_feared_violence", "impacts", "narrative", "reported_at", "reported_by",
            "report_method", "version", "entry", "entry_place", "circumstances", "new_identity_kind", "new_identity",
        ]  # fmt: skip
        initial = {name: getattr(incident, name) for name in names}
        for name in ("occurred_at", "occurred_until", "reported_at"):
            if initial[name] is not None:
                initial[name] = timezone.localtime(initial[name])
        return initial | {"victim": incident.victim_id}


class IncidentEditForm(IncidentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class IncidentImportForm(forms.Form):
    file = forms.FileField(label="Upload the CSV file", help_text="Use the template: one incident a line")
    victim = forms.TypedChoiceField(label="Whose log is it?", coerce=int, empty_value=None, required=False)
    # Made when the form is drawn: submitting twice (or retrying after a time-out) adds nothing twice.
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    SERVICE_FIELDS = {"rows": "file", "victim_id": "victim"}

    def __init__(self, *args, victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].choices = [("", "Not linked to a victim"), *victims]
        if not self.is_bound:
            self.initial.setdefault("client_key", f"csv-{uuid.uuid4()}")
            if len(victims) == 1:
                self.initial["victim"] = victims[0][0]
