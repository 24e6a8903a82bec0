import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from casework import alerts, documents, notifications

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def alerts_sweep() -> None:
    """Run every alert check over all cases (beat). Safe to run twice or concurrently."""
    for result in alerts.sweep_all():
        logger.info("alert sweep %s: raised %d, resolved %d, open %d", *vars(result).values())


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def alerts_refresh_case(case_id: int) -> None:
    """Recompute what derives from one case's timeline, then re-run its checks, after a change."""
    alerts.case_refresh(case_id)


@shared_task(acks_late=True, ignore_result=True)
def alerts_notify() -> None:
    notifications.notify_new_alerts()


@shared_task(acks_late=True, ignore_result=True)
def alerts_daily_digest() -> None:
    notifications.send_daily_digest()


@shared_task(acks_late=True, ignore_result=True)
def documents_give_up_stale_task() -> None:
    documents.documents_give_up_stale()


@shared_task(acks_late=True, ignore_result=True)
def documents_queue_unqueued_task() -> None:
    documents.documents_queue_unqueued()


def publish(task, *args) -> bool:
    """Queue a task now, waiting on the broker at most two socket timeouts (BROKER_SOCKET_TIMEOUT): one
    attempt, no publish retry, so a hung Redis costs a request under a second. False if it was not queued."""
    try:
        task.apply_async(args, retry=False)
    except OperationalError:
        logger.warning("could not queue %s%r; the periodic sweep will catch up", task.name, args)
        return False
    return True


def enqueue_after_commit(task, *args) -> None:
    """Queue a task once the current transaction commits. If the broker is down or hung the officer's
    action still succeeds: the failure is logged and the next beat sweep derives the same alerts."""
    transaction.on_commit(lambda: publish(task, *args))


@shared_task(acks_late=True, ignore_result=True)
def document_render_task(document_id: int) -> None:
    """Lay out one generated PDF (queue "documents", CELERY_TASK_ROUTES): slow, so never in a request."""
    documents.document_render(document_id)
