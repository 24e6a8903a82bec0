"""E-mail about alerts: references and links only, never personal details.

New alerts are claimed once (`notified_at`) and mailed to those who must act and want immediate
e-mails, through an outbox (AlertMail) of one row per alert and recipient; a daily digest lists open
alerts for those who chose it. In-app alerts need no sending.

Exactly once, and on a crash at most once (docs/adr/0008-alert-mail-at-most-once.md): a person's rows
are claimed (committed) just before the message goes to the mail server and marked sent as soon as it
took it. A worker killed between the two leaves rows claimed and unmarked, which are never sent again:
the server may already have the message, and a duplicate is what we promise never to send. The alert
itself is not lost: it stays on the dashboard, the alerts list and the daily digest until acted on.
An error the mail server reports means it did not take the message, so those rows are unclaimed and
the next run (a minute later, beat) tries again.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AlertEmail, Role
from accounts.models import User
from casework.alerts import visible_alerts
from casework.choices import AlertAudience
from casework.models import Alert, AlertMail
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
    """Mail newly raised alerts once to each person who must act and wants immediate e-mails; the
    number of messages the mail server took."""
    _claim_new_alerts()
    sent = 0
    pending = AlertMail.objects.filter(claimed_at__isnull=True, alert__resolved_at__isnull=True)
    recipient_ids = list(pending.values_list("recipient_id", flat=True).distinct().order_by("recipient_id"))
    if not recipient_ids:
        return 0
    connection = get_connection(fail_silently=False)
    try:
        for recipient_id in recipient_ids:
            sent += _send_to(connection, recipient_id)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - the messages were taken (and marked) before the goodbye failed
            logger.warning("closing the mail connection failed", exc_info=True)
    return sent


def _claim_new_alerts() -> None:
    """Claim alerts not yet considered for e-mail and write an outbox row for each person to mail."""
    with transaction.atomic():
        claimed = list(
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(notified_at__isnull=True, resolved_at__isnull=True)
            .select_related("case__unit")
            .order_by("id")[:CLAIM_BATCH]
        )
        if not claimed:
            return
        Alert.objects.filter(pk__in=[a.pk for a in claimed]).update(notified_at=timezone.now())
        AlertMail.objects.bulk_create(
            [
                AlertMail(alert=alert, recipient=user)
                for user, alerts in recipients(claimed).items()
                if user.email and user.alert_email == AlertEmail.IMMEDIATE
                for alert in alerts
            ],
            ignore_conflicts=True,
        )


def _send_to(connection, recipient_id: int) -> int:
    """One message with the person's unsent alerts: claimed (committed) first, marked sent after."""
    with transaction.atomic():
        rows = list(
            AlertMail.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=recipient_id, claimed_at__isnull=True, alert__resolved_at__isnull=True)
            .select_related("recipient", "alert__case__unit")
            .order_by("alert_id")
        )
        if not rows:
            return 0  # another sender holds them
        AlertMail.objects.filter(pk__in=[r.pk for r in rows]).update(claimed_at=timezone.now())
    user, alerts = rows[0].recipient, [r.alert for r in rows]
    subject, body, sender, to = _message(user, alerts, f"{len(alerts)} new alert(s) on your cases")
    try:
        connection.send_messages([EmailMessage(subject, body, sender, to)])
    except Exception:  # noqa: BLE001 - the server refused or could not be reached: it has not got it
        logger.exception("alert e-mail to user %s not sent; trying again next run", recipient_id)
        AlertMail.objects.filter(pk__in=[r.pk for r in rows]).update(claimed_at=None)
        return 0
    AlertMail.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=timezone.now())
    return 1


def send_daily_digest() -> int:
    open_alerts = list(visible_alerts(Alert.objects.all(), timezone.now()).select_related("case__unit"))
    messages = [
        _message(user, alerts, f"Daily digest: {len(alerts)} open alert(s)")
        for user, alerts in recipients(open_alerts).items()
        if user.email and user.alert_email == AlertEmail.DAILY
    ]
    send_mass_mail(messages, fail_silently=False)
    return len(messages)
