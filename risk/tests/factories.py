"""Test data for risk assessments, for tests across the apps."""

from datetime import date, timedelta

from django.utils import timezone


def plan_basics(**overrides) -> dict[str, str | date]:
    """What every completed assessment's plan holds (risk.scoring.plan_errors): the safety advice, the
    contact arrangement and a next review within the high-risk interval (so any grade accepts it)."""
    return {
        "safety_advice": "Keep the phone charged; call 999 and say the case reference if he comes near.",
        "contact_arrangement": "Mobile, weekday evenings; no voicemail.",
        "next_review_due": timezone.localdate() + timedelta(days=7),
    } | overrides
