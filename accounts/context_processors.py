from django.urls import reverse

from accounts.policy import Action, role_may


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [("Home", reverse("home"), True)]
    items.append(("Cases", reverse("casework:case-list"), role_may(user, Action.VIEW_CASE)))
    items.append(("API", reverse("api-docs"), role_may(user, Action.VIEW_CASE)))
    items.append(("Administration", reverse("admin:index"), user.is_staff))
    return {
        "nav_items": [
            {"label": label, "url": url, "active": request.path == url} for label, url, shown in items if shown
        ]
    }
