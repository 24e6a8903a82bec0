"""Forms of the "Bail and warrants" pages: how the suspect was dealt with, the supervisor's review,
bail extended, ended and conditioned, and the s.2B search-warrant register.

Field names are the services' argument names, so a refusal lands on the field it names."""

from django import forms
from django.utils import timezone

from casework.forms.fields import DateInput
from config.input_contract import RecordDateFormField
from orders import choices as c
from orders.conditions import LIBRARY
from orders.forms.orders import ZONE_ADDRESS_HINT, ZONE_REASON_HINT, ZONE_REASON_LABEL


def _text(label: str, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _today_default(form: forms.Form, *names: str) -> None:
    if not form.is_bound:
        for name in names:
            form.initial.setdefault(name, timezone.localdate())


AUTHORITY_CHOICES = [("", "Choose who authorised it"), *c.BailAuthority.choices]
ROUTE_HINTS = {
    c.Route.VOLUNTARY_INTERVIEW: "Not arrested: no bail, so no conditions",
    c.Route.RELEASED_UNDER_INVESTIGATION: "No time limit and no conditions",
    c.Route.POSTAL_REQUISITION: "Charged by post: no custody, so no bail conditions",
    c.Route.PRE_CHARGE_BAIL: "Bail with a period and, where needed, conditions",
    c.Route.CHARGED_BAILED: "Bailed to court, with any conditions",
}


class RouteForm(forms.Form):
    """One route; each bail route has its own bail-end and authority fields, revealed under its radio
    (they are all shown without JavaScript, so they cannot share names)."""

    # The browser must not insist on the bail fields of a route not chosen; the form checks them instead.
    use_required_attribute = False

    suspect_id = forms.TypedChoiceField(label="Suspect", coerce=int)
    route = forms.ChoiceField(
        label="How was the suspect dealt with?", choices=c.Route.choices, widget=forms.RadioSelect
    )
    occurred_on = RecordDateFormField(label="Date", widget=DateInput)
    pre_charge_bail_end = RecordDateFormField(
        label="Bail ends on", widget=DateInput, help_text="The date he must answer bail",
        error_messages={"required": "Give the date bail ends (the date he must answer bail)"},
    )  # fmt: skip
    pre_charge_bail_authority = forms.ChoiceField(
        label="Authorised by", choices=AUTHORITY_CHOICES, error_messages={"required": "Say who authorised bail"},
        help_text="A custody officer may bail for 3 months, an inspector to 6, a superintendent to 9",
    )  # fmt: skip
    charged_bailed_end = RecordDateFormField(
        label="Bailed to appear on", widget=DateInput, help_text="The date of the court hearing",
        error_messages={"required": "Give the date he must appear at court"},
    )  # fmt: skip
    charged_bailed_authority = forms.ChoiceField(
        label="Bailed by", choices=AUTHORITY_CHOICES, error_messages={"required": "Say who bailed him"}
    )
    victim_views = _text(
        "The victim's views on bail conditions", required=False,
        help_text="The custody officer must seek and consider them, where practicable (PCSC Act 2022)",
    )  # fmt: skip
    unprotected_reason = _text(
        "Reason for leaving the victim without bail conditions", rows=4, required=False,
        help_text="Needed for a voluntary interview, release under investigation or postal requisition in a case "
        "that is medium or high risk or shows stalking",
    )  # fmt: skip
    note = _text("Note", required=False)

    def __init__(self, *args, suspects: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suspect_id"].choices = suspects
        if len(suspects) > 1:
            self.fields["suspect_id"].choices = [("", "Choose the suspect"), *suspects]
        _today_default(self, "occurred_on")
        chosen = self.data.get(self.add_prefix("route"), "")
        if self.is_bound:
            for route in {str(r.value) for r in c.BAIL_ROUTES} - {chosen}:
                self.fields[f"{route}_end"].required = self.fields[f"{route}_authority"].required = False
        self.SERVICE_FIELDS = self._bail_fields_of(chosen)

    @staticmethod
    def _bail_fields_of(route: str) -> dict[str, str]:
        if route not in c.BAIL_ROUTES:
            return {}
        return {"bail_end": f"{route}_end", "bail_authority": f"{route}_authority"}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        route = data["route"]
        bail = {}
        if route in c.BAIL_ROUTES:
            bail = {"bail_end": data[f"{route}_end"], "bail_authority": data[f"{route}_authority"]}
        fields = ("suspect_id", "route", "occurred_on", "victim_views", "unprotected_reason", "note")
        return {name: data[name] for name in fields} | bail

    def route_options(self, needs_reason: set[str]) -> list[dict]:
        """The route radios, each with its hint, its revealed bail fields, and whether it needs a reason
        in this case."""
        chosen = self["route"].value()
        return [
            {
                "value": value,
                "label": label,
                "id": f"{self['route'].auto_id}_{n}",
                "checked": chosen == value,
                "hint": ROUTE_HINTS.get(value, ""),
                "bail_fields": [self[f"{value}_end"], self[f"{value}_authority"]] if value in c.BAIL_ROUTES else [],
                "needs_reason": value in needs_reason,
            }
            for n, (value, label) in enumerate(c.Route.choices)
        ]


class RouteReviewForm(forms.Form):
    review_note = _text(
        "Your review", help_text="Agree with the reason, or say what must happen instead (e.g. arrest and bail)"
    )


class BailExtendForm(forms.Form):
    new_end = RecordDateFormField(label="Bail now ends on", widget=DateInput)
    authority = forms.ChoiceField(label="Authorised by", choices=AUTHORITY_CHOICES)
    authorised_on = RecordDateFormField(label="Date authorised", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "authorised_on")


class BailEndForm(forms.Form):
    ended_on = RecordDateFormField(label="Date bail ended", widget=DateInput)
    reason = _text("How did bail end?", help_text="For example: charged and remanded, released under investigation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "ended_on")


class BailConditionForm(forms.Form):
    kind = forms.ChoiceField(label="Condition", choices=c.ConditionKind.choices, widget=forms.RadioSelect)
    wording = _text(
        "Wording", required=False,
        help_text="Needed for another condition; leave empty to use the standard wording of the one chosen",
    )  # fmt: skip
    protected_ids = forms.TypedMultipleChoiceField(
        label="Whom does it protect?", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    zone_address = forms.CharField(
        label="Address at the centre of the zone", required=False, max_length=300, help_text=ZONE_ADDRESS_HINT
    )
    zone_reason = _text(ZONE_REASON_LABEL, required=False, help_text=ZONE_REASON_HINT)
    zone_radius_m = forms.IntegerField(
        label="Radius in metres", required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )  # fmt: skip
    zone_area = forms.CharField(
        label="Or a named area", required=False, max_length=200, help_text="For example 'Harborne ward'"
    )
    rationale = _text("Why is it needed?", help_text="To prevent further offences or interference with witnesses")
    consultation = forms.ChoiceField(
        label="What did the victim say about it?", choices=c.ConsultationOutcome.choices, widget=forms.RadioSelect,
        initial=c.ConsultationOutcome.NOT_CONSULTED,
    )  # fmt: skip
    consulted_on = RecordDateFormField(label="Date she was asked", required=False, widget=DateInput)
    victim_view = _text("The victim's view", required=False)

    def __init__(self, *args, protectable: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected_ids"].choices = protectable

    def kind_options(self) -> list[dict]:
        """The kinds with their standard wording as hint; the exclusion zone reveals its fields."""
        chosen = self["kind"].value()
        return [
            {
                "value": value,
                "label": label,
                "id": f"{self['kind'].auto_id}_{n}",
                "checked": chosen == value,
                "hint": LIBRARY[value].wording.format(victim="the victim", area="the zone you describe"),
                "zone_fields": (
                    [self["zone_address"], self["zone_radius_m"], self["zone_area"], self["zone_reason"]]
                    if value == c.ConditionKind.EXCLUSION_ZONE
                    else []
                ),
            }
            for n, (value, label) in enumerate(c.ConditionKind.choices)
        ]


class WarrantApplyForm(forms.Form):
    premises = forms.CharField(label="Premises to be searched", max_length=300)
    grounds = _text(
        "Grounds", rows=4,
        help_text="The stalking offence (s.2A) and the material sought that is likely to be of substantial value",
    )  # fmt: skip
    applied_on = RecordDateFormField(label="Date applied", widget=DateInput)
    court = forms.CharField(label="Court", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "applied_on")


class WarrantDecideForm(forms.Form):
    granted = forms.TypedChoiceField(
        label="What did the justice decide?", choices=[("yes", "Granted"), ("no", "Refused")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
    )  # fmt: skip
    decided_on = RecordDateFormField(label="Date of the decision", widget=DateInput)
    refused_reason = _text("If it was refused: the reasons given", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "decided_on")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"granted": data["granted"], "decided_on": data["decided_on"], "reason": data["refused_reason"]}


class WarrantExecuteForm(forms.Form):
    executed_on = RecordDateFormField(label="Date executed", widget=DateInput)
    officers = forms.CharField(label="Officers who executed it", max_length=300)
    seized = _text("What was seized", required=False, help_text="Leave empty if nothing was seized")
    evidence_ids = forms.TypedMultipleChoiceField(
        label="Exhibits from the search", coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Upload the exhibits on the Evidence tab first, then link them here",
    )  # fmt: skip

    def __init__(self, *args, exhibits: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_ids"].choices = exhibits
        _today_default(self, "executed_on")
