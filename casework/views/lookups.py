"""Who has looked at her: the look-ups from outside her cases for her officer to check, and everyone who
has viewed her record or its sealed details, from the audit trail (ADR 0007)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework import selectors
from casework.services import lookups as lookups_services
from casework.views.sections import case_context
from config.errors import Refusal


@login_required
@require_GET
def case_lookups(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.VIEW_SEALED_DETAILS)
    audit.consulted(case, detail="who has looked at her")
    return render(
        request,
        "casework/case_lookups.html",
        case_context(request.user, case, "lookups")
        | {"to_check": list(selectors.outside_lookups_to_check(case)), "looks": selectors.who_has_looked(case)},
    )


@login_required
@require_POST
def case_lookups_checked(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.VIEW_SEALED_DETAILS)
    try:
        checked = lookups_services.outside_lookups_check(actor=request.user, case=case)
    except Refusal as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{checked} look-up{'s' if checked != 1 else ''} marked as checked.")
    return redirect("casework:case-lookups", case_id=case.pk)
