from celery import shared_task
from django.utils import timezone

from accounts.models import Heartbeat


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Run by beat every minute; /healthz reads the time to tell that beat and a worker are alive."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"ticked_at": timezone.now()})
