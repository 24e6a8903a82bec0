"""What every page of a case shares: its heading and the sub-navigation between its sections."""

from django.urls import reverse

from accounts import policy
from accounts.policy import Action
from casework import panels
from casework.models import Case


def case_context(user, case: Case, section: str) -> dict:
    tabs = [
        ("overview", "Overview", reverse("casework:case-detail", args=[case.pk])),
        ("evidence", "Evidence", reverse("casework:evidence-list", args=[case.pk])),
        ("contacts", "Victim contact", reverse("casework:contact-list", args=[case.pk])),
    ]
    tabs += panels.extra_tabs(case)
    if policy.may(user, Action.VIEW_SEALED_DETAILS, case):
        tabs.append(("lookups", "Who has looked", reverse("casework:case-lookups", args=[case.pk])))
    if policy.may(user, Action.VIEW_CASE_HISTORY, case):
        tabs.append(("history", "History", reverse("case-history", args=[case.pk])))
    return {
        "case": case,
        "section": section,
        "case_tabs": [{"key": key, "label": label, "url": url, "current": key == section} for key, label, url in tabs],
        "may_edit": policy.may(user, Action.EDIT_CASE, case),
    }
