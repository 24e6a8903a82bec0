"""Forms of the handover: the officer's preparation (MG5, the victim, MG6) and sending a charging request
to the CPS; the prosecutor's action for the police, the police's answer, the charging decision and the
decision on a plea. They
parse what was typed; the rules live in protocol/services/, whose refusals come back onto the form
through `casework.views.refusals.show_refusal`."""

from django import forms

from accounts.models import User
from casework.choices import ContactMethod
from casework.forms.fields import DateInput, checkboxes
from protocol import choices as c
from protocol.models import HandoverPreparation
from protocol.selectors import cps_lawyers
from protocol.services.preparation import PREPARATION_FIELDS


def _text(label: str, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


def _radios(choices, label: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=False, widget=forms.RadioSelect, help_text=help_text
    )


class PreparationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    offences = checkboxes(
        c.Offence.choices, "Offences proposed", help_text="Select all that you ask the CPS to consider"
    )
    headline = _text("Headline", "The case in one or two sentences (MG5)")
    key_witnesses = _text("Key witnesses", "What each key witness says", rows=4)
    interview_summary = _text("Interview summary", "Admissions, denials and any defence raised", rows=4)
    anticipated_plea = _radios(c.AnticipatedPlea.choices, "Anticipated plea")
    compensation = _text("Compensation", "Losses she has suffered, with amounts")
    vps = _radios(c.VpsStatus.choices, "Victim Personal Statement")
    vps_on = forms.DateField(
        label="Date of the decision on the statement", required=False, widget=DateInput,
        help_text="When she gave it, said she will give it later, or declined it",
    )  # fmt: skip
    vps_summary = _text("The effect on her, in her words")
    special_measures = _radios(c.SpecialMeasures.choices, "Special measures (MG2)")
    special_measures_detail = _text("Measures sought", "e.g. a screen, a live link, evidence in private")
    special_measures_on = forms.DateField(
        label="Date special measures were assessed with her", required=False, widget=DateInput
    )
    witness_issues = _text("Witness issues", "Confidential (MG6): reluctance, intimidation, credibility")
    suspect_risk = _text("The risk the suspect poses", "Confidential (MG6): and how it is managed")
    confidential_notes = _text("Other confidential information", "Confidential (MG6): never disclosed")
    spo_not_sought_reason = _text(
        "Why no Stalking Protection Order is sought", "Only when none has been considered in a stalking case"
    )

    @classmethod
    def for_preparation(cls, prep: HandoverPreparation | None, data=None) -> "PreparationForm":
        if prep is None:
            return cls(data, initial={"version": 0, "offences": []})
        initial = {name: getattr(prep, name) for name in PREPARATION_FIELDS} | {"version": prep.version}
        return cls(data, initial=initial)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in PREPARATION_FIELDS}
        return {"expected_version": data["version"], **fields}


class LawyerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.cps_area})" if obj.cps_area_id else name


class SendForm(forms.Form):
    lawyer = LawyerChoiceField(
        label="CPS lawyer",
        queryset=User.objects.none(),
        empty_label="Choose the lawyer",
        error_messages={"required": "Choose the CPS lawyer", "invalid_choice": "Choose the CPS lawyer"},
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=c.Priority.choices,
        widget=forms.RadioSelect,
        help_text="DG6 categories",
        error_messages={"required": "Choose the priority"},
    )
    note = _text("Your request to the prosecutor", "What you ask them to decide, and anything urgent", rows=4)
    override_reason = _text(
        "Why send it with items missing",
        "Supervisors only: the reason is sent with the request and kept with it",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = cps_lawyers()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "lawyer": data["lawyer"],
            "priority": data["priority"],
            "note": data["note"],
            "override_reason": data["override_reason"],
        }


# --- The prosecutor's forms (protocol/views/cps.py) --------------------------------------------------


def _required_text(label: str, rows: int = 4, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class ActionRaiseForm(forms.Form):
    request = _required_text(
        "What must the police do or supply?", help_text="One action: e.g. a statement, CCTV, a phone download"
    )
    due_on = forms.DateField(label="Due by", widget=DateInput)


class ActionAnswerForm(forms.Form):
    answer = _required_text(
        "Your answer", help_text="What was done or supplied, and where it is (e.g. the exhibit reference)"
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=c.Decision.choices, widget=forms.RadioSelect)
    code_test = forms.ChoiceField(
        label="Code for Crown Prosecutors test applied",
        choices=c.CodeTest.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Required for a charge: the Threshold Test only where a remand in custody is sought",
    )
    offences_charged = checkboxes(c.Offence.choices, "Offences to be charged", help_text="Required for a charge")
    rationale = _required_text("Rationale", rows=6, help_text="Your reasons, as recorded on the MG3")


CONSULTATION_HINT = "Required to accept a plea to harassment where stalking was charged"


class PleaForm(forms.Form):
    """A decision on a plea offered to a lesser offence, on one of the offences the prosecutor charged."""

    offence_charged = forms.ChoiceField(
        label="Offence charged",
        error_messages={
            "required": "Choose the offence charged",
            "invalid_choice": "Choose one of the offences the charging decision authorised",
        },
    )
    offence_pleaded = forms.ChoiceField(
        label="Offence the plea is offered to",
        choices=[("", "Choose the offence"), *c.Offence.choices],
        error_messages={
            "required": "Choose the offence the plea is offered to",
            "invalid_choice": "Choose the offence the plea is offered to",
        },
    )
    accepted = forms.TypedChoiceField(
        label="Decision on the plea",
        choices=[("yes", "Accept the plea"), ("no", "Reject the plea")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the plea is accepted", "invalid_choice": "Choose accept or reject"},
    )
    rationale = _required_text(
        "Rationale",
        help_text="Your justification for accepting or rejecting the plea",
        error_messages={"required": "Give the reasons for the decision on the plea"},
    )
    approved_by = forms.CharField(
        label="Approved by", required=False, max_length=200, help_text=f"The senior prosecutor. {CONSULTATION_HINT}"
    )
    victim_consulted_on = forms.DateField(
        label="Date the victim was consulted", required=False, widget=DateInput, help_text=CONSULTATION_HINT
    )
    victim_view = _text("The victim's view of the plea", CONSULTATION_HINT)
    police_consulted_on = forms.DateField(
        label="Date the police were consulted", required=False, widget=DateInput, help_text=CONSULTATION_HINT
    )
    police_view = _text("The police's view of the plea", CONSULTATION_HINT)

    def __init__(self, *args, charged: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("approved_by", "victim_consulted_on", "victim_view", "police_consulted_on", "police_view"):
            self.fields[name].required_when = "accepting harassment on a stalking charge"
        labels = dict(c.Offence.choices)
        self.fields["offence_charged"].choices = [
            ("", "Choose the offence charged"),
            *[(value, labels.get(value, value)) for value in charged],
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields}


# --- Decisions that move the case on (protocol/services/decisions.py) --------------------------------------

RESTRAINING_SOUGHT = [("yes", "Yes: a restraining order is sought"), ("no", "No: give the reason")]


def _sought(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


REQUIRED_WHEN = {
    "basis": "recording the charge",
    "offences": "the police decide to charge",
    "reason": "the police decide to charge, or closing without a charge",
    "restraining_order_sought": "recording the charge or the court's outcome",
    "restraining_order_id": "an order is sought",
    "restraining_order_reason": "no order is sought",
    "kind": "closing without a charge",
    "victim_told_on": "recording the decision",
    "victim_told_method": "recording the decision",
    "right_to_review_explained": "no further action",
    "court_result": "recording the court's outcome",
}


def _required_when(form: forms.Form, when: dict[str, str]) -> None:
    for name, field in form.fields.items():
        if name in when:
            field.required_when = when[name]


class _RestrainingFields(forms.Form):
    restraining_order_sought = _radios(RESTRAINING_SOUGHT, "Is a restraining order sought?")
    restraining_order_id = forms.TypedChoiceField(
        label="The restraining order sought", required=False, coerce=int, empty_value=None,
        help_text="With the conditions sought (Protection tab)",
    )  # fmt: skip
    restraining_order_reason = _text("Why no restraining order is sought")

    def __init__(self, *args, orders: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["restraining_order_id"].choices = [("", "Choose the order"), *orders]
        # The service says what is missing; the page marks these neither optional nor required.
        _required_when(self, REQUIRED_WHEN)

    def restraining_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "restraining_order_sought": _sought(data["restraining_order_sought"]),
            "restraining_order_id": data["restraining_order_id"],
            "restraining_order_reason": data["restraining_order_reason"],
        }


class ChargeForm(_RestrainingFields):
    basis = _radios(c.ChargeBasis.choices, "Who decided to charge?")
    offences = checkboxes(
        c.Offence.choices,
        "Offences charged",
        help_text="On the CPS's decision: leave empty to charge all it authorised",
    )
    reason = _text("Reason for a police charging decision", "Recorded on the MG6 (DG6)")
    field_order = ["basis", "offences", "reason"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"basis": data["basis"], "offences": data["offences"], "reason": data["reason"]} | (
            self.restraining_kwargs()
        )


class CloseForm(forms.Form):
    kind = _radios(
        [
            (c.CaseDecisionKind.NO_FURTHER_ACTION, "No further action"),
            (c.CaseDecisionKind.OUT_OF_COURT, "Out-of-court disposal"),
        ],
        "Decision",
    )
    reason = _text("Reason for the decision", "DG6: the police record the rationale")
    victim_told_on = forms.DateField(label="Date the victim was told", required=False, widget=DateInput)
    victim_told_method = forms.ChoiceField(
        label="How she was told", required=False, choices=[("", "Choose how"), *ContactMethod.choices]
    )
    right_to_review_explained = forms.BooleanField(
        label="She was told of her right to ask for a review of the decision (Victims' Code)", required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _required_when(self, REQUIRED_WHEN)

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class CourtOutcomeForm(_RestrainingFields):
    court_result = _radios(c.CourtResult.choices, "The court's outcome")
    victim_told_on = forms.DateField(label="Date the victim was told", required=False, widget=DateInput)
    victim_told_method = forms.ChoiceField(
        label="How she was told", required=False, choices=[("", "Choose how"), *ContactMethod.choices]
    )
    note = _text("Note", "e.g. the sentence")
    field_order = ["court_result"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("court_result", "victim_told_on", "victim_told_method", "note")}
        return fields | self.restraining_kwargs()
