from django.urls import reverse

from accounts.policy import Action, role_may


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [("Home", reverse("home"), True)]
    police = role_may(user, Action.VIEW_CASE)
    items.append(("Cases", reverse("casework:case-list"), police))
    items.append(("Alerts", reverse("casework:alert-list"), police))
    oversees = role_may(user, Action.SUPERVISE_CASE) or role_may(user, Action.RECORD_CRIME)
    items.append(("Dashboard", reverse("casework:dashboard"), oversees))
    items.append(("Recording audit", reverse("recording:audit-queue"), role_may(user, Action.RECORD_CRIME)))
    items.append(("Charging requests", reverse("protocol:cps-queue"), role_may(user, Action.VIEW_HANDOVER)))
    items.append(("Referred victims", reverse("casework:care-list"), role_may(user, Action.VIEW_VICTIM_SAFE)))
    items.append(("Access concerns", reverse("access-concerns"), role_may(user, Action.REVIEW_ACCESS_CONCERNS)))
    items.append(("API", reverse("api-docs"), police))
    items.append(("Administration", reverse("admin:index"), user.is_staff))
    return {
        "nav_items": [
            {"label": label, "url": url, "active": request.path.startswith(url) if url != "/" else request.path == url}
            for label, url, shown in items
            if shown
        ],
        # The header's alert badge (polled by htmx) for the police roles.
        "show_alert_badge": police,
    }
