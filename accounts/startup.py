"""Checks made when the web app starts (config/wsgi.py)."""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def refuse_demo_accounts() -> None:
    """Outside DEBUG, refuse to serve while an active demo account still has the published password
    (seed_demo prints it): anyone who read the README could sign in."""
    if settings.DEBUG:
        return
    from accounts.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
    from accounts.models import User

    try:
        users = list(User.objects.filter(username__in=[u[0] for u in DEMO_USERS], is_active=True))
    except DatabaseError:
        # Not migrated yet, or the database is down: nothing to find, and /healthz reports the database.
        logger.warning("Could not look for demo accounts at start-up: the database did not answer.")
        return
    exposed = sorted(u.username for u in users if u.check_password(DEMO_PASSWORD))
    if exposed:
        raise ImproperlyConfigured(
            f"Demo accounts with the published password exist ({', '.join(exposed)}) and DEBUG is off: "
            "disable them or change their passwords (manage.py changepassword) before serving."
        )
