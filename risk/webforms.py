"""Django forms for the risk pages: start an assessment, answer its questions, complete it, add a plan action.

They only parse what the officer typed; every rule lives in `risk.services` (a refusal comes back onto
the page through `casework.views.refusals.show_refusal`)."""

from datetime import date

from django import forms

from risk import questionnaires
from risk.choices import Grade

ANSWER_CHOICES = [
    (questionnaires.YES, "Yes"),
    (questionnaires.NO, "No"),
    (questionnaires.NOT_KNOWN, "Not known"),
    (questionnaires.DECLINED, "Declined"),
]
DEFAULT_KINDS = (questionnaires.KIND_DASH, questionnaires.KIND_STALKING_SUPPLEMENTARY)


class StartForm(forms.Form):
    victim = forms.TypedChoiceField(label="Victim", coerce=int, empty_value=None)
    kinds = forms.MultipleChoiceField(
        label="Questionnaires",
        widget=forms.CheckboxSelectMultiple,
        help_text="DASH and the stalking questions are asked together; S-DASH is a screening aid.",
        error_messages={"required": "Choose at least one questionnaire"},
    )

    def __init__(self, *args, victims: list[tuple[int, str]], kinds: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].choices = victims
        self.fields["kinds"].choices = kinds
        self.fields["victim"].error_messages["required"] = "Choose a victim in this case"
        if not self.is_bound:
            self.initial.setdefault("victim", victims[0][0] if victims else None)
            self.initial.setdefault("kinds", [k for k, _ in kinds if k in DEFAULT_KINDS])


class AnswersForm(forms.Form):
    """One radio group and one details box per question key; rendered by hand so radio ids are
    predictable (`id_<key>_<answer>`)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    children_at_risk = forms.CharField(required=False, widget=forms.Textarea)

    def __init__(self, *args, question_keys: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question_keys = question_keys
        for key in question_keys:
            self.fields[key] = forms.ChoiceField(choices=ANSWER_CHOICES, required=False)
            self.fields[f"{key}_details"] = forms.CharField(required=False, max_length=2000)

    def answers(self) -> dict[str, dict[str, str]]:
        """Only the questions given an answer or details: an untouched question keeps what was saved."""
        data = self.cleaned_data
        return {
            key: {"answer": data.get(key) or "", "details": data.get(f"{key}_details") or ""}
            for key in self.question_keys
            if data.get(key) or data.get(f"{key}_details")
        }


class CompleteForm(forms.Form):
    judgement_grade = forms.ChoiceField(
        label="Professional judgement (optional)",
        required=False,
        choices=[
            ("", "Keep the grade the answers give"),
            (Grade.MEDIUM, "Raise to medium"),
            (Grade.HIGH, "Raise to high"),
        ],
        help_text="Judgement can only raise the grade, and needs a written rationale.",
    )
    judgement_rationale = forms.CharField(label="Rationale for the judgement", required=False, widget=forms.Textarea)
    police_callouts_12m = forms.IntegerField(
        label="Police call-outs in the last 12 months", min_value=0, max_value=999, initial=0, required=False
    )
    previous_marac_within_12m = forms.BooleanField(label="Heard at a MARAC in the last 12 months", required=False)
    # The plan every grade needs (the service refuses each one missing).
    safety_advice = forms.CharField(
        label="Safety advice given to the victim", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_arrangement = forms.CharField(
        label="Contact arrangement agreed with the victim",
        required=False,
        help_text="How and when she wants to be contacted, and what is safe",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_review_due = forms.DateField(
        label="Date of the next risk review", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("safety_advice", "contact_arrangement", "next_review_due"):
            self.fields[name].required_when = "completing the assessment"  # the service refuses each missing

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "safety_advice": data["safety_advice"],
            "contact_arrangement": data["contact_arrangement"],
            "next_review_due": data["next_review_due"],
            "judgement_grade": data["judgement_grade"],
            "judgement_rationale": data["judgement_rationale"],
            "police_callouts_12m": data["police_callouts_12m"] or 0,
            "previous_marac_within_12m": data["previous_marac_within_12m"],
        }


class PlanActionForm(forms.Form):
    risk = forms.CharField(
        label="Risk",
        max_length=300,
        help_text="The question answered yes, or the factor found",
        widget=forms.TextInput(attrs={"list": "risk-suggestions"}),
    )
    action = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label="Owner", max_length=200, help_text="Who will do it")
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))

    def service_kwargs(self) -> dict[str, str | date]:
        return {k: self.cleaned_data[k] for k in ("risk", "action", "owner", "due_on")}
