"""Forms of the people pages."""

from django import forms

from casework import choices as c
from casework.forms.fields import DateInput, checkboxes, optional_select
from casework.identifiers import InvalidIdentifier, normalise_identifier
from casework.services.people import IdentifierInput

# The identifier fields of the person form, by kind.
IDENTIFIER_FIELDS = {
    "phone": c.IdentifierKind.PHONE,
    "email": c.IdentifierKind.EMAIL,
    "handle": c.IdentifierKind.HANDLE,
    "vehicle": c.IdentifierKind.VEHICLE,
    "address": c.IdentifierKind.ADDRESS,
}
SEALABLE = ("phone", "email", "address")


class PartyForm(forms.Form):
    """A person and their role in the case: searched for first, then linked or created."""

    role = forms.ChoiceField(label="Role in the case", choices=c.PartyRole.choices, widget=forms.RadioSelect)
    relationship_to_suspect = optional_select(
        c.Relationship.choices, "Relationship to the suspect", help_text="For a victim only"
    )
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = forms.DateField(label="Date of birth", widget=DateInput, required=False)
    date_of_birth_is_approximate = forms.BooleanField(label="The date of birth is approximate", required=False)
    gender = forms.ChoiceField(label="Gender", choices=c.Gender.choices, initial=c.Gender.NOT_KNOWN)
    aliases = forms.CharField(
        label="Other names",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One name a line",
    )
    phone = forms.CharField(label="Phone number", max_length=300, required=False)
    email = forms.CharField(label="E-mail address", max_length=300, required=False)
    handle = forms.CharField(label="Social-media handle", max_length=300, required=False)
    handle_platform = optional_select(c.Platform.choices, "Platform of the handle", empty="Not known")
    vehicle = forms.CharField(label="Vehicle registration", max_length=300, required=False)
    address = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    sealed = forms.BooleanField(
        label="Seal the phone number, e-mail and address",
        required=False,
        help_text="For a victim who has moved to escape the suspect: only the officer in the case and supervisors "
        "see sealed details; anyone else must give a reason, and every viewing is recorded.",
    )
    vulnerabilities = checkboxes(c.Vulnerability.choices, "Vulnerabilities")

    SERVICE_FIELDS = {"person": None, "party": None, "identifiers": None}

    def clean(self):
        data = super().clean()
        for name, kind in IDENTIFIER_FIELDS.items():
            value = (data.get(name) or "").strip()
            if value:
                try:
                    normalise_identifier(kind, value)
                except InvalidIdentifier as exc:
                    self.add_error(name, str(exc))
        if data.get("relationship_to_suspect") and data.get("role") != c.PartyRole.VICTIM:
            self.add_error("relationship_to_suspect", "Record the relationship to the suspect on the victim only")
        return data

    def identifiers(self) -> list[IdentifierInput]:
        data = self.cleaned_data
        return [
            IdentifierInput(
                kind=kind,
                value=data[name].strip(),
                platform=data["handle_platform"] if name == "handle" else "",
                sealed=data["sealed"] and name in SEALABLE,
            )
            for name, kind in IDENTIFIER_FIELDS.items()
            if data.get(name, "").strip()
        ]

    def has_something_to_search(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("first_name", "").strip() or data.get("last_name", "").strip() or self.identifiers())

    def person_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "date_of_birth": data["date_of_birth"],
            "date_of_birth_is_approximate": data["date_of_birth_is_approximate"],
            "gender": data["gender"],
            "vulnerabilities": data["vulnerabilities"],
            "aliases": [line.strip() for line in data["aliases"].splitlines() if line.strip()],
            "identifiers": self.identifiers(),
        }


class IdentifierForm(forms.Form):
    """A contact detail or identifier a person gave this case."""

    kind = forms.ChoiceField(label="What is it?", choices=c.IdentifierKind.choices, widget=forms.RadioSelect)
    value = forms.CharField(label="Value", max_length=300)
    platform = optional_select(c.Platform.choices, "Platform (for a social-media handle)", empty="Not known")
    sealed = forms.BooleanField(
        label="Seal it",
        required=False,
        help_text="Sealed, it is seen only through this case: by its officer and the unit's supervisors, and by "
        "anyone else only with a reason that is recorded. No other case she is in shows it.",
    )

    def identifier(self) -> IdentifierInput:
        data = self.cleaned_data
        return IdentifierInput(
            kind=data["kind"],
            value=data["value"],
            platform=data["platform"] if data["kind"] == c.IdentifierKind.HANDLE else "",
            sealed=data["sealed"],
        )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see the sealed details?",
        max_length=300,
        help_text="Your reason is recorded with your name",
    )
