"""The Decisions page of the Handover tab: record the charge, no further action or an out-of-court
disposal, or the court's outcome; each moves the case on (casework.stages, ADR 0007). The forms shown are
those the case's stage allows. Thin: every write through protocol.services.decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import audit, policy
from accounts.policy import Action
from casework.choices import CaseStage
from casework.models import Case
from casework.services.cases import TRANSITIONS
from casework.views.refusals import show_refusal
from casework.views.sections import case_context
from config.errors import Refusal
from orders.choices import OrderType
from orders.restraining_orders import latest_decisions
from protocol.forms import ChargeForm, CloseForm, CourtOutcomeForm
from protocol.services import decisions as services

RESTRAINING_TYPES = (OrderType.RESTRAINING_ORDER_CONVICTION, OrderType.RESTRAINING_ORDER_ACQUITTAL)
FORMS = {"charge": ChargeForm, "close": CloseForm, "court": CourtOutcomeForm}
SERVICES = {
    "charge": services.case_charge,
    "close": services.case_close_without_charge,
    "court": services.case_court_outcome,
}
DONE = {
    "charge": "The case is charged.",
    "close": "The decision is recorded.",
    "court": "The court's outcome is recorded; the case is finalised.",
}


def _orders(case: Case) -> list[tuple[int, str]]:
    orders = case.orders.filter(order_type__in=RESTRAINING_TYPES).order_by("id")
    return [(o.pk, f"{o.get_order_type_display()} ({o.get_status_display().lower()})") for o in orders]


def _form(name: str, case: Case, data=None):
    cls = FORMS[name]
    if name == "close":
        return cls(data, prefix=name)
    return cls(data, prefix=name, orders=_orders(case))


def _open_forms(case: Case) -> list[str]:
    nexts = TRANSITIONS[case.stage]
    shown = []
    if CaseStage.CHARGED in nexts:
        shown.append("charge")
    if nexts & {CaseStage.NO_FURTHER_ACTION, CaseStage.OUT_OF_COURT}:
        shown.append("close")
    if case.stage == CaseStage.AT_COURT:
        shown.append("court")
    return shown


def _page(
    request: HttpRequest, case: Case, failed: tuple[str, object] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    may_edit = policy.may(user, Action.EDIT_CASE, case)
    forms = {name: _form(name, case) for name in _open_forms(case)} if may_edit else {}
    if failed is not None:
        forms[failed[0]] = failed[1]
    recorded = list(case.decisions.select_related("decided_by", "agreed_by").order_by("-decided_at", "-id"))
    audit.consulted(case, detail="decisions that move the case on")
    context = case_context(user, case, "handover") | {
        "forms": forms,
        "failed_form": failed[1] if failed else None,
        "recorded": recorded,
        "restraining": list(latest_decisions(case).values()),
        "cps_charge": services.cps_charge_decision(case),
        "needs_supervisor": services.needs_supervisor(case),
        "may_supervise": policy.may(user, Action.SUPERVISE_CASE, case),
    }
    return render(request, "protocol/decisions.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_decisions(request: HttpRequest, case_id: int) -> HttpResponse:
    if request.method == "GET":
        return _page(request, policy.access_case(request.user, case_id, Action.VIEW_CASE))
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    name = request.POST.get("decision", "")
    if name not in FORMS:
        return _page(request, case, status=400)
    form = _form(name, case, request.POST)
    if not form.is_valid():
        return _page(request, case, (name, form), status=400)
    try:
        SERVICES[name](actor=request.user, case=case, **form.service_kwargs())
    except Refusal as exc:
        show_refusal(form, exc)
        return _page(request, case, (name, form), status=exc.status_code)
    messages.success(request, DONE[name])
    return redirect(reverse("casework:case-detail", args=[case.pk]))
