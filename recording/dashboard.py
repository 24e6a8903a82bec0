"""Recording's figure on the supervisor's dashboard: cases recorded as harassment (or malicious
communications) whose incidents point to stalking — the audit queue, which the figure links to."""

from django.urls import reverse

from accounts import policy
from accounts.policy import Action
from casework.dashboard import DashboardSection, Figure
from recording.selectors import queue_entries


def stalking_recorded_as_harassment(user, open_cases) -> list[Figure]:
    if not policy.role_may(user, Action.RECORD_CRIME):
        return []
    cases = open_cases.filter(policy.cases_where(user, Action.RECORD_CRIME))
    return [
        Figure(
            "Recorded as harassment, pointing to stalking", len(queue_entries(cases)), reverse("recording:audit-queue")
        )
    ]


SECTIONS = [DashboardSection("recording-audit", "Crime recording", "Cases", stalking_recorded_as_harassment)]
