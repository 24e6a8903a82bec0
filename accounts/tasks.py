from celery import shared_task
from django.utils import timezone

from accounts.models import Heartbeat


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Run by beat every minute; /healthz reads the time to tell that beat and a worker are alive."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"ticked_at": timezone.now()})


@shared_task(ignore_result=True)
def access_concerns_sweep() -> None:
    """Run by beat every minute: raise access concerns from refused attempts, and mail new ones."""
    from accounts.concerns import notify_access_concerns, sweep_access_concerns

    sweep_access_concerns()
    notify_access_concerns()


@shared_task(ignore_result=True)
def audit_checkpoint() -> None:
    """Run by beat (AUDIT_CHECKPOINT_SECONDS): record the audit chain's head (accounts/checkpoints.py)."""
    from accounts.checkpoints import checkpoint_write

    checkpoint_write()
