"""Putting a service's refusal back onto the form the user filled in."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.errors import NON_FIELD, EditConflict, Refusal


def show_refusal(form: forms.Form, exc: Refusal) -> None:
    """Each message goes to the field it names (through the form's SERVICE_FIELDS map when the
    service calls it something else), or to the top of the form."""
    renames = getattr(form, "SERVICE_FIELDS", {})
    for name, messages in exc.errors.items():
        target = renames.get(name, name)
        if target == NON_FIELD or target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)


def render_refusal(request: HttpRequest, template: str, context: dict, form: forms.Form, exc: Refusal) -> HttpResponse:
    """The form again with the refusal on it: 400, or 409 when someone else changed the record."""
    show_refusal(form, exc)
    if isinstance(exc, EditConflict) and "version" in form.fields:
        # The form keeps what the user typed, now based on the version the page shows them.
        form.data = form.data.copy()
        form.data["version"] = str(exc.extra["current"]["version"])
    context = {**context, "form": form, "conflict": exc if isinstance(exc, EditConflict) else None}
    return render(request, template, context, status=exc.status_code)
