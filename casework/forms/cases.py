"""Forms of the case pages."""

from django import forms

from accounts import policy
from accounts.models import User
from casework import choices as c
from casework.forms.fields import checkboxes, optional_select

CASE_FLAGS = [
    ("is_stalking", "Stalking"),
    ("is_harassment", "Harassment"),
    ("is_hate", "Hate crime or incident"),
]


class CaseForm(forms.Form):
    title = forms.CharField(
        label="Case title",
        max_length=200,
        help_text="A short description officers will recognise, for example 'Harassment of A. Jones by ex-partner'",
    )
    flags = checkboxes(CASE_FLAGS, "What does the report describe?", help_text="Select all that apply")

    def service_kwargs(self) -> dict:
        flags = set(self.cleaned_data["flags"])
        return {"title": self.cleaned_data["title"], **{name: name in flags for name, _ in CASE_FLAGS}}

    @staticmethod
    def initial_for(case) -> dict:
        return {"title": case.title, "flags": [name for name, _ in CASE_FLAGS if getattr(case, name)]}


class CaseEditForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseListForm(forms.Form):
    """The filters of the case list (a GET form: invalid values are ignored)."""

    scope = forms.ChoiceField(choices=[("mine", "My cases"), ("unit", "My unit")], required=False)
    search = forms.CharField(label="Reference or title", max_length=100, required=False)
    stage = optional_select(c.CaseStage.choices, "Stage", empty="Any stage")
    flag = optional_select(
        [
            ("is_stalking", "Stalking"),
            ("is_harassment", "Harassment"),
            ("is_domestic_abuse", "Domestic abuse"),
            ("is_repeat_victim", "Repeat victim"),
            ("is_repeat_suspect", "Repeat suspect"),
        ],
        "Flag",
        empty="Any flag",
    )
    status = optional_select([("open", "Open"), ("finalised", "Finalised")], "Open or finalised", empty="Any")
    officer = forms.CharField(label="Officer in the case (username)", max_length=150, required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("updated", "Recently updated"),
            ("reference", "Reference"),
        ],
        required=False,
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "mine": data.get("scope", "mine") != "unit",
            "stage": data.get("stage", ""),
            "flag": data.get("flag", ""),
            "search": data.get("search", "").strip(),
            "sort": data.get("sort") or "newest",
            "status": data.get("status", ""),
            "officer": data.get("officer", "").strip(),
        }


class CaseStageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_stage = forms.ChoiceField(label="Move the case to", widget=forms.RadioSelect)
    outcome_code = forms.TypedChoiceField(
        label="Home Office outcome",
        choices=[("", "Choose an outcome"), *c.OutcomeCode.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Needed only when finalising the case",
    )

    SERVICE_FIELDS = {"stage": "to_stage"}

    def __init__(self, *args, next_stages, owned_stages=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, c.CaseStage(s).label) for s in c.CaseStage.values if s in next_stages]
        # A move another service owns is not offered, but if posted it reaches the service, which says
        # which action to use (casework.stages).
        field = self.fields["to_stage"]
        field.valid_value = lambda value: value in next_stages or value in owned_stages


class CaseReassignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    officer = forms.ModelChoiceField(label="New officer in the case", queryset=User.objects.none())
    reason = forms.CharField(label="Reason for the reassignment", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        police = [role for role in policy.RULES if policy.Action.EDIT_CASE in policy.RULES[role]]
        self.fields["officer"].queryset = User.objects.filter(unit=unit, role__in=police, is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["officer"].label_from_instance = lambda user: user.get_full_name() or user.username
