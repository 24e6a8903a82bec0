"""Forms of the evidence pages."""

from django import forms

from casework.forms.fields import DateInput


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label="Choose the file", help_text="A picture, PDF, audio, video or plain-text file (checked by its content)"
    )
    description = forms.CharField(label="What does it show?", max_length=300)
    incident = forms.TypedChoiceField(label="Incident it relates to", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = [("", "Not linked to one incident"), *incidents]


class EvidenceTaskForm(forms.Form):
    description = forms.CharField(
        label="Evidence to secure", max_length=300, help_text="For example 'CCTV at the bus station'"
    )
    due_on = forms.DateField(label="Secure it by", widget=DateInput)
