"""Forms of the protection pages: considering an order, its grounds, its lifecycle, its conditions, the
respondent's notification, breaches and proposals, and telling the victim.

They parse what the officer typed; the rules live in orders/services.py, whose refusals come back onto
the form through `casework.views.refusals.show_refusal`."""

from django import forms
from django.utils import timezone

from casework import choices as cw
from casework.forms.fields import DateInput, DateTimeLocalInput, checkboxes, local_now, optional_select
from casework.services.incidents import IncidentInput
from config.input_contract import LocalDateTimeFormField, LocalTimesForm, RecordDateFormField
from orders import choices as c
from orders.conditions import standard_wording

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _today_if_unbound(form: forms.Form, *names: str) -> None:
    if not form.is_bound:
        for name in names:
            form.initial.setdefault(name, timezone.localdate())


class ConsiderForm(forms.Form):
    order_type = forms.ChoiceField(label="Order", choices=[("", "Choose the order"), *c.OrderType.choices])
    respondent = forms.TypedChoiceField(label="Against", coerce=int, help_text="The suspect the order would bind")
    protected = forms.TypedMultipleChoiceField(
        label="Whom it protects", coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person the order protects"},
    )  # fmt: skip
    court = forms.CharField(label="Court", max_length=200, required=False)
    applicant = forms.CharField(
        label="Applicant", max_length=200, required=False, help_text="e.g. the chief officer, or the prosecutor"
    )

    SERVICE_FIELDS = {"respondent_id": "respondent", "protected_ids": "protected"}

    def __init__(self, *args, suspects: list[tuple[int, str]], protectable: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["respondent"].choices = [("", "Choose the suspect"), *suspects]
        self.fields["protected"].choices = protectable
        self.fields["respondent"].error_messages["required"] = "Choose the suspect the order is against"
        self.fields["order_type"].error_messages["required"] = "Choose the order"
        if not self.is_bound:
            if len(suspects) == 1:
                self.initial.setdefault("respondent", suspects[0][0])
            if len(protectable) == 1:
                self.initial.setdefault("protected", [protectable[0][0]])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "order_type": data["order_type"],
            "respondent_id": data["respondent"],
            "protected_ids": data["protected"],
            "court": data["court"],
            "applicant": data["applicant"],
        }


class DetailsForm(forms.Form):
    """Court, applicant, hearing and grounds. An SPO is sought on three limbs (Stalking Protection Act
    2019 s.1); other orders take their grounds in one box."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    court = forms.CharField(label="Court", max_length=200, required=False)
    applicant = forms.CharField(label="Applicant", max_length=200, required=False)
    hearing_at = forms.DateTimeField(label="Hearing", widget=DateTimeLocalInput, required=False)
    grounds_acts = forms.CharField(
        label="Acts associated with stalking he has carried out", widget=forms.Textarea(attrs={"rows": 4}),
        required=False, help_text="s.1(1)(a): what he did, when, and to whom",
    )  # fmt: skip
    grounds_risk = forms.CharField(
        label="The risk associated with stalking he poses", widget=forms.Textarea(attrs={"rows": 4}),
        required=False, help_text="s.1(1)(b): physical or psychological harm, to whom",
    )  # fmt: skip
    grounds_necessity = forms.CharField(
        label="Why the order is necessary to protect her from that risk", widget=forms.Textarea(attrs={"rows": 4}),
        required=False, help_text="s.1(1)(c): why nothing less will do",
    )  # fmt: skip

    def __init__(self, *args, spo: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not spo:
            self.fields["grounds_acts"].label = "Grounds"
            self.fields["grounds_acts"].help_text = "What the application relies on"
            del self.fields["grounds_risk"], self.fields["grounds_necessity"]

    @staticmethod
    def initial_for(order) -> dict:
        names = ["version", "court", "applicant", "grounds_acts", "grounds_risk", "grounds_necessity"]
        hearing = timezone.localtime(order.hearing_at) if order.hearing_at else None
        return {name: getattr(order, name) for name in names} | {"hearing_at": hearing}

    def service_kwargs(self, order) -> dict:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "court": data["court"],
            "applicant": data["applicant"],
            "hearing_at": data["hearing_at"],
            "grounds_acts": data["grounds_acts"],
            # Orders other than an SPO keep whatever these held.
            "grounds_risk": data.get("grounds_risk", order.grounds_risk),
            "grounds_necessity": data.get("grounds_necessity", order.grounds_necessity),
        }


# The fields each lifecycle action asks for, beyond the date and the version: (label, required).
REASON_FIELDS = {
    "not_pursue": ("Why it will not be pursued", True),
    "refuse": ("The court's reasons", True),
    "vary": ("What was varied", True),
    "discharge": ("Why it was discharged", True),
    "renew": ("Anything to note about the renewal", False),
    "expire": ("Anything to note", False),
}
DURATION_ACTIONS = frozenset({"grant", "renew"})
HEARING_ACTIONS = frozenset({"apply"})


class TransitionForm(forms.Form):
    """One lifecycle action (orders/lifecycle.py). Each action's form on the page has its own prefix,
    so the ids stay unique; `action` is posted without it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = RecordDateFormField(label="Date", widget=DateInput)
    reason = forms.CharField(label="Reason", widget=TEXTAREA, required=False)
    hearing_at = forms.DateTimeField(label="Hearing date and time", widget=DateTimeLocalInput, required=False)
    until_further_order = forms.BooleanField(label="Until further order", required=False)
    duration_value = forms.IntegerField(
        label="Duration", min_value=1, required=False, help_text="A number of days, months or years",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )  # fmt: skip
    duration_unit = optional_select(c.DurationUnit.choices, "Unit", empty="Choose")

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)
        self.action = action
        if action in REASON_FIELDS:
            label, required = REASON_FIELDS[action]
            self.fields["reason"].label, self.fields["reason"].required = label, required
            self.fields["reason"].error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}"
        else:
            del self.fields["reason"]
        if action not in HEARING_ACTIONS:
            del self.fields["hearing_at"]
        if action not in DURATION_ACTIONS:
            del self.fields["until_further_order"], self.fields["duration_value"], self.fields["duration_unit"]
        self.fields["on"].label = {"apply": "Date applied", "serve": "Date served"}.get(action, "Date")
        _today_if_unbound(self, "on")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "action": self.action,
            "expected_version": data["version"],
            "on": data["on"],
            "reason": data.get("reason", ""),
            "hearing_at": data.get("hearing_at"),
            "until_further_order": data.get("until_further_order", False),
            "duration_value": data.get("duration_value"),
            "duration_unit": data.get("duration_unit", ""),
        }


class NotifiedForm(forms.Form):
    on = RecordDateFormField(label="Date he notified his name and home address", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_if_unbound(self, "on")


KIND_HINTS = {
    c.ConditionKind.EXCLUSION_ZONE: "Not to enter within a radius of an address, or a named area.",
    c.ConditionKind.FREE: "Word it yourself, and tick what the system should check.",
}
CONSULTATION_HINT = "Ask her about each condition: the court should know whether she wants it"
# An exclusion zone's address is a sealed detail (orders/zones.py).
ZONE_ADDRESS_HINT = (
    "Kept sealed: only the officer in the case and supervisors see it, and it is never in the wording. "
    "Prefer a named area: a zone round her home tells him where she lives"
)
ZONE_REASON_LABEL = "If the zone is at or near her address: why you chose it knowingly"
ZONE_REASON_HINT = "Only when warned that the order would reveal her address; your reason is recorded"


class ConditionForm(forms.Form):
    """A condition from the library, or worded by the officer. The kind's radios are drawn by hand with
    the standard wording as each one's hint (`kind_options`)."""

    kind = forms.ChoiceField(
        label="Condition", choices=c.ConditionKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the condition"},
    )  # fmt: skip
    protected = forms.TypedMultipleChoiceField(
        label="Whom it protects", coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose whom the condition protects"},
    )  # fmt: skip
    zone_address = forms.CharField(
        label="Address at the centre of the zone", max_length=300, required=False, help_text=ZONE_ADDRESS_HINT
    )
    zone_reason = forms.CharField(label=ZONE_REASON_LABEL, widget=TEXTAREA, required=False, help_text=ZONE_REASON_HINT)
    zone_radius_m = forms.IntegerField(
        label="Radius in metres", required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )  # fmt: skip
    zone_area = forms.CharField(
        label="Or a named area", max_length=200, required=False, help_text="For example, Harborne ward"
    )
    zone_places = checkboxes(
        [(p, cw.Place(p).label) for p in c.ZONE_PLACES], "Places inside the zone",
        help_text="An incident at one of these is checked against the zone. None ticked: all of them",
    )  # fmt: skip
    wording = forms.CharField(
        label="Wording", widget=TEXTAREA, required=False,
        help_text="Leave empty to use the standard wording with the names and zone filled in",
    )  # fmt: skip
    channels = checkboxes(cw.Channel.choices, "Channels of contact it forbids")
    behaviours = checkboxes(cw.Behaviour.choices, "Behaviours it forbids")
    starts_on = RecordDateFormField(label="From", widget=DateInput, required=False, help_text="Else the order's dates")
    ends_on = RecordDateFormField(label="Until", widget=DateInput, required=False, years_ahead=100)
    rationale = forms.CharField(
        label="Why this condition is needed", widget=TEXTAREA,
        help_text="The court must find each prohibition necessary to protect her",
        error_messages={"required": "Say why this condition is needed: the court must find each one necessary"},
    )  # fmt: skip
    consultation = forms.ChoiceField(
        label="What the victim said", choices=c.ConsultationOutcome.choices, widget=forms.RadioSelect,
        initial=c.ConsultationOutcome.NOT_CONSULTED, help_text=CONSULTATION_HINT,
    )  # fmt: skip
    consulted_on = RecordDateFormField(label="When she was asked", widget=DateInput, required=False)
    victim_view = forms.CharField(label="In her words", widget=TEXTAREA, required=False)

    SERVICE_FIELDS = {"protected_ids": "protected"}

    def __init__(self, *args, protectable: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected"].choices = protectable
        if not self.is_bound:
            self.initial.setdefault("protected", [pk for pk, _ in protectable])

    def kind_options(self) -> list[dict]:
        """Each kind with its standard wording as a hint, for the hand-drawn radios."""
        chosen = self["kind"].value()
        options = []
        for n, (value, label) in enumerate(c.ConditionKind.choices):
            options.append({
                "value": value, "label": label, "id": f"{self['kind'].auto_id}_{n}", "checked": value == chosen,
                "hint": KIND_HINTS.get(value) or standard_wording(value, []),
            })  # fmt: skip
        return options

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        zone = kind == c.ConditionKind.EXCLUSION_ZONE
        free = kind == c.ConditionKind.FREE
        # Zone and checks are asked only for their kinds (the page reveals them so); a standard
        # condition is otherwise checked as the library says.
        return {
            "kind": kind,
            "protected_ids": data["protected"],
            "wording": data["wording"],
            "zone_address": data["zone_address"] if zone else "",
            "zone_radius_m": data["zone_radius_m"] if zone else None,
            "zone_area": data["zone_area"] if zone else "",
            "zone_reason": data["zone_reason"] if zone else "",
            "zone_places": (data["zone_places"] or None) if zone else None,
            "channels": data["channels"] if free else None,
            "behaviours": data["behaviours"] if free else None,
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "rationale": data["rationale"],
            "consultation": data["consultation"],
            "consulted_on": data["consulted_on"],
            "victim_view": data["victim_view"],
        }


class ConsultationForm(forms.Form):
    consultation = forms.ChoiceField(
        label="What she said",
        choices=[(v, label) for v, label in c.ConsultationOutcome.choices if v != c.ConsultationOutcome.NOT_CONSULTED],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the victim said"},
    )
    consulted_on = RecordDateFormField(label="When she was asked", widget=DateInput)
    victim_view = forms.CharField(label="In her words", widget=TEXTAREA, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_if_unbound(self, "consulted_on")


class BreachForm(LocalTimesForm):
    """A breach of this order: the incident as it goes on the course of conduct, and the condition. Its
    values are checked by the incident service, as on every way in."""

    condition = forms.TypedChoiceField(label="Condition breached", coerce=int, empty_value=None, required=False)
    occurred_at = LocalDateTimeFormField(label="When did it happen?", widget=DateTimeLocalInput)
    victim = forms.TypedChoiceField(label="Victim", coerce=int, empty_value=None, required=False)
    channel = forms.ChoiceField(label="How", choices=[("", "Choose how"), *cw.Channel.choices])
    count = forms.IntegerField(
        label="How many contacts?", initial=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )  # fmt: skip
    place = optional_select(cw.Place.choices, "Where")
    behaviours = checkboxes(cw.Behaviour.choices, "Behaviours (Protection from Harassment Act 1997 s.2A(3))")
    narrative = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    SERVICE_FIELDS = {"condition_id": "condition", "victim_id": "victim", "order_id": "condition"}

    def __init__(self, *args, conditions: list[tuple[int, str]], victims: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = [("", "Not one condition in particular"), *conditions]
        self.fields["victim"].choices = [("", "Not linked to a victim"), *victims]
        self.fields["channel"].error_messages["required"] = "Choose how the contact was made"
        self.fields["narrative"].validators = []  # NUL and length: the incident service refuses them
        if not self.is_bound:
            self.initial.setdefault("occurred_at", local_now())
            if len(victims) == 1:
                self.initial.setdefault("victim", victims[0][0])

    def incident_input(self) -> IncidentInput:
        data = self.cleaned_data
        return IncidentInput(
            occurred_at=data["occurred_at"], channel=data["channel"], victim_id=data["victim"], place=data["place"],
            behaviours=data["behaviours"], narrative=data["narrative"], count=data["count"],
        )  # fmt: skip


class SubstantiveForm(forms.Form):
    substantive_decision = forms.ChoiceField(
        label="Is this also a further offence?",
        choices=[(v, label) for v, label in c.SubstantiveDecision.choices if v != c.SubstantiveDecision.NOT_YET],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether a further offence is being pursued"},
    )
    substantive_note = forms.CharField(
        label="Note", widget=TEXTAREA, required=False,
        help_text="Needed for breach only: why the conduct is not further stalking or harassment",
    )  # fmt: skip


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(
        label="Why this is not a breach", widget=TEXTAREA, error_messages={"required": "Say why this is not a breach"}
    )


class NoticeForm(forms.Form):
    letter = forms.CharField(
        label="Letter or e-mail", widget=forms.Textarea(attrs={"rows": 18}), required=False,
        help_text="Generated from the template: change it as you need. What you save is kept as what she was sent "
        "(left empty, the generated letter is kept)",
    )  # fmt: skip
    informed_at = forms.DateTimeField(label="When she was told", widget=DateTimeLocalInput)
    method = forms.ChoiceField(label="How", choices=[("", "Choose how"), *cw.ContactMethod.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].error_messages["required"] = "Say how she was told"
        if not self.is_bound:
            self.initial.setdefault("informed_at", local_now())
