"""HTML forms for the casework pages. They parse and shape input; the rules live in the services.

Each form that feeds a service has a method returning the service's arguments, and service
refusals come back onto the form through `casework.views.refusals.show_refusal`.
"""

from casework.forms.cases import CASE_FLAGS, CaseEditForm, CaseForm, CaseListForm, CaseReassignForm, CaseStageForm
from casework.forms.contacts import ContactForm, EntitlementForm
from casework.forms.evidence import EvidenceTaskForm, EvidenceUploadForm
from casework.forms.fields import DateInput, DateTimeLocalInput, local_now, victim_choices
from casework.forms.incidents import IncidentEditForm, IncidentForm, IncidentImportForm
from casework.forms.people import IDENTIFIER_FIELDS, IdentifierForm, PartyForm, RevealForm
from casework.forms.timeline import TimelineFilterForm

__all__ = [
    "CASE_FLAGS",
    "CaseEditForm",
    "CaseForm",
    "CaseListForm",
    "CaseReassignForm",
    "CaseStageForm",
    "ContactForm",
    "EntitlementForm",
    "EvidenceTaskForm",
    "EvidenceUploadForm",
    "DateInput",
    "DateTimeLocalInput",
    "local_now",
    "victim_choices",
    "IdentifierForm",
    "IncidentEditForm",
    "IncidentForm",
    "IncidentImportForm",
    "IDENTIFIER_FIELDS",
    "PartyForm",
    "RevealForm",
    "TimelineFilterForm",
]
