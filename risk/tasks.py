import logging

from celery import shared_task

from casework import alerts
from risk.services import escalation_nightly

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def escalation_nightly_task() -> None:
    """Beat, once a night: the escalation level of every open case time may have moved, then the alert
    checks (a level that fell asks the officer in the case for a review). Safe to run twice."""
    count = escalation_nightly()
    alerts.sweep_all()
    logger.info("nightly escalation: %d cases recomputed", count)
