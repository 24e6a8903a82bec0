"""Access concerns: repeated refused attempts by one user, raised from the audit trail.

Every 404 answered to a signed-in user is audited as a refused attempt (accounts/middleware.py). The
beat sweep finds, per user, REFUSED_ACCESS_ALERT_COUNT attempts within REFUSED_ACCESS_WINDOW_MINUTES
and raises one AccessConcern per user and window: the window starts at the burst's first attempt, and
attempts inside it only raise its count; the next window starts with the first attempt after it. As
concerns are derived from the audit trail, a sweep that did not run loses nothing (within LOOKBACK),
and running it twice raises nothing twice (a unique constraint per user and window, and the user's
row locked while their concerns are derived). New concerns are e-mailed once to the registrars who
may review them (references and links only).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from accounts.choices import AuditAction
from accounts.models import AccessConcern, AuditEntry, User

# How far back the sweep looks: a burst older than this, missed while beat was down, is not raised.
LOOKBACK = timedelta(days=1)
PATHS_KEPT = 50
CLAIM_BATCH = 500
CONCERNS_SHOWN = 200  # the newest, on the registrar's page and in the API


def concerns_for(user):
    """The access concerns the user may review: open ones first, then the newest."""
    return (
        AccessConcern.objects.filter(policy.access_concerns_where(user))
        .select_related("user__unit", "user__cps_area", "user__organisation", "acknowledged_by")
        .order_by(F("acknowledged_at").desc(nulls_first=True), "-raised_at", "-id")
    )


def window_starts(times: Sequence[datetime], *, count: int, window: timedelta) -> list[datetime]:
    """The starts of the windows in which `count` attempts fall within `window` (times in order)."""
    starts: list[datetime] = []
    i = 0
    while i + count <= len(times):
        if times[i + count - 1] - times[i] <= window:
            starts.append(times[i])
            end = times[i] + window
            while i < len(times) and times[i] <= end:
                i += 1
        else:
            i += 1
    return starts


def _paths(attempts: list[tuple[datetime, str]]) -> list[str]:
    return list(dict.fromkeys(detail for _, detail in attempts))[:PATHS_KEPT]


def sweep_access_concerns(now: datetime | None = None) -> int:
    """Raise the access concerns the audit trail shows and bring open windows' counts up to date;
    the number raised."""
    now = now or timezone.now()
    count = settings.REFUSED_ACCESS_ALERT_COUNT
    window = timedelta(minutes=settings.REFUSED_ACCESS_WINDOW_MINUTES)
    refused = AuditEntry.objects.filter(action=AuditAction.REFUSED, actor__isnull=False, at__gte=now - LOOKBACK)
    users = refused.values("actor_id").annotate(n=Count("id")).filter(n__gte=count).values_list("actor_id", flat=True)
    return sum(_sweep_user(user_id, refused, count, window, now) for user_id in users.order_by("actor_id"))


@transaction.atomic
def _sweep_user(user_id: int, refused, count: int, window: timedelta, now: datetime) -> int:
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user_id)
    attempts = list(refused.filter(actor_id=user_id).order_by("at", "id").values_list("at", "detail"))
    latest = AccessConcern.objects.filter(user=user).order_by("-window_starts_at").first()
    if latest is not None:
        inside = [a for a in attempts if latest.window_starts_at <= a[0] <= latest.window_ends_at]
        if inside and (len(inside), _paths(inside)) != (latest.count, latest.paths):
            latest.count, latest.paths = len(inside), _paths(inside)
            latest.save(update_fields=["count", "paths"])
        attempts = [a for a in attempts if a[0] > latest.window_ends_at]
    raised = 0
    for start in window_starts([at for at, _ in attempts], count=count, window=window):
        inside = [a for a in attempts if start <= a[0] <= start + window]
        AccessConcern.objects.create(
            user=user,
            force_id=user.unit.force_id if user.unit_id else None,
            window_starts_at=start,
            window_ends_at=start + window,
            count=len(inside),
            paths=_paths(inside),
            raised_at=now,
        )
        raised += 1
    return raised


def notify_access_concerns() -> int:
    """Mail new access concerns once to those who may review them; the number of e-mails. Sent inside
    the claiming transaction: if sending fails the claim is undone and the next run tries again."""
    with transaction.atomic():
        claimed = list(
            AccessConcern.objects.select_for_update(skip_locked=True)
            .filter(notified_at__isnull=True)
            .order_by("id")[:CLAIM_BATCH]
        )
        if not claimed:
            return 0
        AccessConcern.objects.filter(pk__in=[c.pk for c in claimed]).update(notified_at=timezone.now())
        per_reviewer: dict[User, int] = {}
        for concern in claimed:
            for reviewer in policy.concern_reviewers(concern).exclude(email=""):
                per_reviewer[reviewer] = per_reviewer.get(reviewer, 0) + 1
        messages = [
            (
                f"{n} new access concern{'s' if n > 1 else ''} in your force",
                render_to_string(
                    "accounts/email/access_concerns.txt",
                    {"user": reviewer, "count": n, "site_url": settings.SITE_URL, "path": reverse("access-concerns")},
                ),
                settings.DEFAULT_FROM_EMAIL,
                [reviewer.email],
            )
            for reviewer, n in per_reviewer.items()
        ]
        send_mass_mail(messages, fail_silently=False)
    return len(messages)
