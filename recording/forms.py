"""HTML forms for the recording pages. They parse and shape input; the rules live in recording.services.

A service refusal comes back onto the form through `casework.views.refusals.show_refusal`; a
counting-rule warning makes the form ask for `override_reason` ("Keep this classification because…").
"""

import secrets
from datetime import date, timedelta

from django import forms
from django.utils import timezone

from recording.choices import Classification, Offence
from recording.models import ReviewDecision

_O = Offence

# The offences as the recorder looks for them: the stalking and harassment offences first.
OFFENCE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Stalking and harassment (PHA 1997)", (_O.PHA_S2A, _O.PHA_S4A, _O.PHA_S2, _O.PHA_S4)),
    (
        "Racially or religiously aggravated stalking and harassment (CDA 1998 s.32)",
        (_O.RA_STALKING, _O.RA_STALKING_FEAR, _O.RA_HARASSMENT, _O.RA_FEAR_OF_VIOLENCE),
    ),
    ("Communications", (_O.MALICIOUS_COMMUNICATIONS, _O.IMPROPER_USE_NETWORK)),
    ("Domestic abuse", (_O.CONTROLLING_COERCIVE,)),
    (
        "Violence against the person",
        (
            _O.COMMON_ASSAULT,
            _O.RA_COMMON_ASSAULT,
            _O.ABH,
            _O.RA_ABH,
            _O.WOUNDING,
            _O.RA_WOUNDING,
            _O.WOUNDING_WITH_INTENT,
            _O.THREATS_TO_KILL,
        ),
    ),
    ("Public order", (_O.POA_S4, _O.POA_S4A, _O.POA_S5, _O.RA_PUBLIC_ORDER)),
)


def offence_choices(empty: str = "Choose an offence") -> list:
    return [("", empty)] + [
        (group, [(value, Offence(value).label) for value in values]) for group, values in OFFENCE_GROUPS
    ]


def _offence_field(label: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=offence_choices(), **kwargs)


def _classification_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Home Office classification",
        choices=[("", "Derived from the offence"), *Classification.choices],
        required=False,
        help_text="Leave as 'Derived from the offence' unless the counting rules say otherwise",
    )


def _text(label: str, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class CountingRuleOverride(forms.Form):
    """A form whose record a counting rule may warn about: it asks for a reason to keep it only then."""

    override_reason = _text(
        "Keep this classification because…",
        required=False,
        help_text="Explain why the warnings above do not apply. The reason is kept with the crime record.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked once a warning has been shown; the resubmitted form carries the field, so it asks again.
        self.asks_override = self.is_bound and "override_reason" in self.data

    def full_clean(self) -> None:
        super().full_clean()
        self._show_override_as_needed()

    def ask_override(self, message: str) -> None:
        self.asks_override = True
        self.add_error("override_reason", message)
        self._show_override_as_needed()

    def _show_override_as_needed(self) -> None:
        # Once asked for, the reason is shown without "(optional)"; whether it is needed is still the
        # service's decision (a changed offence may draw no warning), so this comes after validation.
        if self.asks_override:
            self.fields["override_reason"].required = True


class CrimeRecordForm(CountingRuleOverride):
    offence = _offence_field("Offence")
    classification = _classification_field()
    is_principal = forms.TypedChoiceField(
        label="Is this the principal crime of the case?",
        choices=[("true", "Principal crime (the one that counts)"), ("false", "Secondary crime")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        help_text="A case has one principal crime; others are recorded as secondary and stay searchable",
    )
    rationale = _text("Why is the crime recorded this way?", rows=4)

    field_order = ["offence", "classification", "is_principal", "rationale", "override_reason"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "offence": data["offence"],
            "classification": data["classification"] or None,
            "is_principal": data["is_principal"],
            "rationale": data["rationale"],
            "override_reason": data["override_reason"],
        }


class ReclassifyForm(CountingRuleOverride):
    version = forms.IntegerField(widget=forms.HiddenInput)
    offence = _offence_field("New offence")
    classification = _classification_field()
    reason = _text("Reason for the reclassification", rows=4)

    field_order = ["version", "offence", "classification", "reason", "override_reason"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "offence": data["offence"],
            "classification": data["classification"] or None,
            "reason": data["reason"],
            "override_reason": data["override_reason"],
        }


class ReviewDecisionForm(forms.Form):
    """The decision on one case of the audit queue; several on a page, told apart by their ids."""

    decision = forms.ChoiceField(label="Decision", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    offence = forms.ChoiceField(
        label="Reclassify to",
        choices=offence_choices()[1:],
        initial=Offence.PHA_S2A,
        required=False,
        help_text="Only used when you reclassify",
    )
    reason = _text("Reason for the decision")

    def __init__(self, *args, case_id: int, **kwargs):
        super().__init__(*args, auto_id=f"id_case{case_id}_%s", **kwargs)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        reclassify = data["decision"] == ReviewDecision.RECLASSIFY
        return {
            "decision": data["decision"],
            "reason": data["reason"],
            "offence": (data["offence"] or Offence.PHA_S2A) if reclassify else "",
        }


SAMPLE_MAX = 200


def _default_since() -> date:
    return timezone.localdate() - timedelta(days=90)


class AuditSampleForm(forms.Form):
    size = forms.IntegerField(label="How many records", min_value=1, max_value=SAMPLE_MAX, initial=10)
    seed = forms.IntegerField(
        label="Seed",
        min_value=0,
        max_value=2**31 - 1,
        help_text="Note it down: the same seed and date draw the same sample again",
    )
    since = forms.DateField(
        label="Recorded on or after",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].widget.attrs["class"] = "govuk-input--width-4"
        self.fields["seed"].widget.attrs["class"] = "govuk-input--width-10"
        if not self.is_bound:
            self.initial.setdefault("seed", secrets.randbelow(1_000_000))
            self.initial.setdefault("since", _default_since())


STATISTICS_MONTHS = (3, 6, 12, 24, 36, 60)
DEFAULT_STATISTICS_MONTHS = 12


class StatisticsForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Period",
        choices=[(n, f"Last {n} months") for n in STATISTICS_MONTHS],
        coerce=int,
        initial=DEFAULT_STATISTICS_MONTHS,
    )
    unit = forms.ChoiceField(label="Unit", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "All units you can see"), *[(u.code, u.name) for u in units]]


class LegacyNoticeReviewForm(forms.Form):
    """A registrar's decision on a warning notice recorded as dated after the cut-off (ADR 0003)."""

    accepted = forms.TypedChoiceField(
        label="Decision",
        choices=[("yes", "Accept it as history"), ("no", "Reject it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the notice as history"},
    )
    note = forms.CharField(label="Reason for the decision", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required_when = "deciding"  # the service refuses a decision without one

    def service_kwargs(self) -> dict:
        return {"accepted": self.cleaned_data["accepted"], "note": self.cleaned_data["note"]}
