from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as exc:  # noqa: BLE001 - any failure is a red light
        return False, type(exc).__name__


def _broker() -> tuple[bool, str]:
    # One attempt within the socket timeouts: a hung Redis makes this red in under a second, never
    # holds the check (and a web thread) for long.
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.BROKER_SOCKET_TIMEOUT)
            return True, conn.transport_cls if isinstance(conn.transport_cls, str) else conn.transport.driver_type
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__


def _beat() -> tuple[bool, str]:
    from accounts.models import Heartbeat

    tick = Heartbeat.objects.filter(name="beat").values_list("ticked_at", flat=True).first()
    if tick is None:
        return False, "no tick yet"
    age = (timezone.now() - tick).total_seconds()
    return age <= settings.BEAT_STALE_AFTER_SECONDS, f"last tick {int(age)} s ago"


@never_cache
def healthz(request):
    checks = {name: check() for name, check in (("database", _database), ("broker", _broker), ("beat", _beat))}
    healthy = all(ok for ok, _ in checks.values())
    body = {"status": "ok" if healthy else "failing"} | {
        name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()
    }
    return JsonResponse(body, status=200 if healthy else 503)
