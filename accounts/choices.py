from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    SUPERVISOR = "supervisor", "Supervisor"
    REGISTRAR = "registrar", "Crime registrar / admin"
    CPS_LAWYER = "cps_lawyer", "CPS lawyer"
    ADVOCATE = "advocate", "Victims' advocate"


POLICE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.REGISTRAR})


class AuditAction(models.TextChoices):
    # The kinds of processing DPA 2018 s.62(1) requires logs of, plus authentication events.
    COLLECT = "collect", "Collection"
    ALTER = "alter", "Alteration"
    CONSULT = "consult", "Consultation"
    DISCLOSE = "disclose", "Disclosure"
    COMBINE = "combine", "Combination"
    ERASE = "erase", "Erasure"
    LOGIN = "login", "Logged in"
    LOGOUT = "logout", "Logged out"
    LOGIN_FAILED = "login_failed", "Failed log-in"
    # A record asked for that the user may not see (answered 404): evidence of probing.
    REFUSED = "refused", "Refused access"


class AlertEmail(models.TextChoices):
    """How a user wants to hear of new alerts by e-mail (in-app alerts are always shown)."""

    IMMEDIATE = "immediate", "As they are raised"
    DAILY = "daily", "A daily digest"
    OFF = "off", "No e-mails"
