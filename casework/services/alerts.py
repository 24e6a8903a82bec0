"""Acting on alerts: acknowledging and snoozing, each with a reason (audited)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.models import Alert
from config.errors import InvalidInput, TransitionNotAllowed

MAX_SNOOZE_DAYS = 14


def _check(actor: User, alert: Alert, reason: str) -> None:
    if not policy.may(actor, policy.Action.EDIT_CASE, alert.case):
        raise InvalidInput("You may not act on this case's alerts")
    if alert.resolved_at is not None:
        raise TransitionNotAllowed("This alert has already been resolved")
    if not reason.strip():
        raise InvalidInput({"reason": "Give the reason"})


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, reason: str) -> Alert:
    """Record that someone has seen the alert and what they are doing; it stays open until fixed."""
    _check(actor, alert, reason)
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.acknowledgement = reason.strip()[:500]
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    return alert


@transaction.atomic
def alert_snooze(*, actor: User, alert: Alert, until: datetime, reason: str) -> Alert:
    _check(actor, alert, reason)
    now = timezone.now()
    if until <= now:
        raise InvalidInput({"until": "Snooze until a time in the future"})
    if (until - now).days >= MAX_SNOOZE_DAYS:
        raise InvalidInput({"until": f"An alert can be snoozed for at most {MAX_SNOOZE_DAYS} days"})
    alert.snoozed_until = until
    alert.acknowledged_at = now
    alert.acknowledged_by = actor
    alert.acknowledgement = f"Snoozed: {reason.strip()}"[:500]
    alert.save(update_fields=["snoozed_until", "acknowledged_at", "acknowledged_by", "acknowledgement"])
    return alert
