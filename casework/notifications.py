"""E-mail about alerts: references and links only, never personal details.

New alerts are claimed once (`notified_at`) and mailed to those who must act and want immediate
e-mails; a daily digest lists open alerts for those who chose it. In-app alerts need no sending.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AlertEmail, Role
from accounts.models import User
from casework.alerts import visible_alerts
from casework.choices import AlertAudience
from casework.models import Alert
from casework.redaction import cases_redactor

logger = logging.getLogger(__name__)
CLAIM_BATCH = 500


def _must_act(user: User, alert: Alert) -> bool:
    if alert.audience == AlertAudience.OIC:
        return user.pk == alert.case.officer_id
    if alert.audience == AlertAudience.SUPERVISOR:
        return user.role == Role.SUPERVISOR and user.unit_id == alert.case.unit_id
    if alert.audience == AlertAudience.REGISTRAR:
        return user.role == Role.REGISTRAR and user.unit.force_id == alert.case.unit.force_id
    return False


def recipients(alerts: list[Alert]) -> dict[User, list[Alert]]:
    """Who must act on each alert: the OIC, the unit's supervisors or the force's registrars."""
    forces = {a.case.unit.force_id for a in alerts}
    people = User.objects.filter(is_active=True).filter(
        Q(role__in=[Role.SUPERVISOR, Role.REGISTRAR], unit__force_id__in=forces)
        | Q(pk__in={a.case.officer_id for a in alerts})
    )
    people = list(people.select_related("unit"))
    by_user: dict[User, list[Alert]] = defaultdict(list)
    for alert in alerts:
        for user in people:
            if _must_act(user, alert):
                by_user[user].append(alert)
    return by_user


def _message(user: User, alerts: list[Alert], subject: str) -> tuple[str, str, str, list[str]]:
    body = render_to_string(
        "casework/email/alerts.txt",
        {"user": user, "alerts": alerts, "site_url": settings.SITE_URL, "alerts_path": reverse("api-alert-list")},
    )
    # References only by design; and should a victim's address ever reach the text, it is withheld.
    redact = cases_redactor({alert.case_id for alert in alerts})
    return (redact(subject), redact(body), settings.DEFAULT_FROM_EMAIL, [user.email])


def notify_new_alerts() -> int:
    """Mail newly raised alerts once. Sent inside the claiming transaction: if sending fails the
    claim is undone and the next run tries again."""
    with transaction.atomic():
        claimed = list(
            Alert.objects.select_for_update(skip_locked=True)
            .filter(notified_at__isnull=True, resolved_at__isnull=True)
            .select_related("case__unit")
            .order_by("id")[:CLAIM_BATCH]
        )
        if not claimed:
            return 0
        Alert.objects.filter(pk__in=[a.pk for a in claimed]).update(notified_at=timezone.now())
        messages = [
            _message(user, alerts, f"{len(alerts)} new alert(s) on your cases")
            for user, alerts in recipients(claimed).items()
            if user.email and user.alert_email == AlertEmail.IMMEDIATE
        ]
        send_mass_mail(messages, fail_silently=False)
    return len(messages)


def send_daily_digest() -> int:
    open_alerts = list(visible_alerts(Alert.objects.all(), timezone.now()).select_related("case__unit"))
    messages = [
        _message(user, alerts, f"Daily digest: {len(alerts)} open alert(s)")
        for user, alerts in recipients(open_alerts).items()
        if user.email and user.alert_email == AlertEmail.DAILY
    ]
    send_mass_mail(messages, fail_silently=False)
    return len(messages)
