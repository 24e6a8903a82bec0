"""The officer's review of incidents the victim's advocate passed on: the list (awaiting first), accepting
one onto the course of conduct as an incident, declining one with a reason the advocate sees; and the case
page's panel counting those awaiting review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework.choices import PassedOnStatus
from casework.forms.passed_on import PassedOnAcceptForm, PassedOnDeclineForm
from casework.models import Case, PassedOnIncident
from casework.services import passed_on as passed_on_services
from casework.services.incidents import incident_summary
from casework.views.refusals import render_refusal, show_refusal
from casework.views.sections import case_context
from config.errors import Refusal


def _item_of(case: Case, item_id: int) -> PassedOnIncident:
    item = (
        PassedOnIncident.objects.filter(case=case, pk=item_id)
        .select_related("victim", "passed_on_by__organisation")
        .first()
    )
    if item is None:
        raise Http404("No such passed-on incident.")
    item.case = case
    return item


def _list_page(request: HttpRequest, case: Case, failed: tuple[int, PassedOnDeclineForm] | None = None) -> dict:
    context = case_context(request.user, case, "overview")
    items = list(passed_on_services.passed_on_of(case))
    for item in items:
        item.decline_form = None
        if context["may_edit"] and item.status == PassedOnStatus.AWAITING:
            if failed and failed[0] == item.pk:
                item.decline_form = failed[1]
            else:
                item.decline_form = PassedOnDeclineForm(prefix=f"decline-{item.pk}")
    return context | {
        "items": items,
        "awaiting": sum(1 for item in items if item.status == PassedOnStatus.AWAITING),
    }


@login_required
@require_GET
def passed_on_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id)
    context = _list_page(request, case)
    audit.consulted_many(
        PassedOnIncident, [item.pk for item in context["items"]], detail=f"passed on by the advocate, {case.reference}"
    )
    return render(request, "casework/passed_on_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def passed_on_accept_view(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    item = _item_of(case, item_id)
    if request.method == "GET" and item.status != PassedOnStatus.AWAITING:
        messages.info(request, f"This incident was already {item.get_status_display().lower()}.")
        return redirect("casework:passed-on-list", case_id=case.pk)
    context = case_context(request.user, case, "overview") | {"item": item}
    form = PassedOnAcceptForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            incident = passed_on_services.passed_on_accept(actor=request.user, item=item, **form.incident_fields())
        except Refusal as exc:
            return render_refusal(request, "casework/passed_on_accept.html", context, form, exc)
        messages.success(request, f"Accepted onto the course of conduct: {incident_summary(incident)}.")
        return redirect("casework:passed-on-list", case_id=case.pk)
    if request.method == "GET":
        audit.consulted(item, detail="to accept onto the course of conduct")
    status = 400 if form.is_bound else 200
    return render(request, "casework/passed_on_accept.html", context | {"form": form}, status=status)


@login_required
@require_POST
def passed_on_decline_view(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    item = _item_of(case, item_id)
    form = PassedOnDeclineForm(request.POST, prefix=f"decline-{item.pk}")
    status = 400
    if form.is_valid():
        try:
            passed_on_services.passed_on_decline(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            messages.success(request, "Not added to the course of conduct. The advocate will see your reason.")
            return redirect(reverse("casework:passed-on-list", args=[case.pk]))
    context = _list_page(request, case, failed=(item.pk, form))
    return render(request, "casework/passed_on_list.html", context | {"form": form}, status=status)


def passed_on_panel_context(user: User, case: Case) -> dict:
    """The case page's panel: how many incidents the advocate passed on await review."""
    return {
        "passed_on_awaiting": PassedOnIncident.objects.filter(case=case, status=PassedOnStatus.AWAITING).count(),
    }
