"""The officer's handover page (the case's "Handover" tab): the protocol checklist, the preparation of the
file, the charging requests already sent and sending a new one. And the readiness panel on the case page.

Thin plain-function views: access through `accounts.policy` (a case page, so VIEW_CASE: a CPS lawyer never
reaches it), every write through `protocol.services.preparation`, a refusal back onto its form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework.models import Case
from casework.views.refusals import show_refusal
from casework.views.sections import case_context
from config.errors import EditConflict, Refusal
from protocol import checklist as cl
from protocol.forms import PreparationForm, SendForm
from protocol.models import Handover
from protocol.selectors import case_handovers, handover_facts, preparation_of
from protocol.services.preparation import handover_send, preparation_save

TEMPLATE = "protocol/preparation.html"


def _item_rows(case: Case, items: list[cl.ChecklistItem]) -> list[dict]:
    return [
        {"item": item, "fix_url": reverse(item.fix_url_name, args=[case.pk]) if item.fix_url_name else ""}
        for item in items
    ]


def _page(
    request: HttpRequest,
    case: Case,
    *,
    preparation_form: PreparationForm | None = None,
    send_form: SendForm | None = None,
    conflict: EditConflict | None = None,
    status: int = 200,
) -> HttpResponse:
    prep = preparation_of(case)
    items = cl.evaluate(handover_facts(case, prep))
    handovers = case_handovers(case)
    audit.consulted(case, detail="handover: protocol checklist, preparation and charging requests")
    if handovers:
        audit.consulted_many(Handover, [h.pk for h in handovers], detail=f"charging requests of {case.reference}")
    user = request.user
    blocking = cl.blocking_items(items)
    context = case_context(user, case, "handover") | {
        "items": _item_rows(case, items),
        "missing": cl.missing_items(items),
        "blocking": blocking,
        "met_count": sum(1 for i in items if i.status == cl.MET),
        "preparation": prep,
        "preparation_form": preparation_form or PreparationForm.for_preparation(prep),
        "send_form": send_form or SendForm(),
        "handovers": handovers,
        "may_send": policy.may(user, Action.GRANT_ACCESS, case) and policy.may(user, Action.EDIT_CASE, case),
        "may_override": policy.may(user, Action.SUPERVISE_CASE, case),
        "conflict": conflict,
        "failed_form": (preparation_form if preparation_form is not None and preparation_form.errors else None)
        or (send_form if send_form is not None and send_form.errors else None),
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_GET
def case_handover(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
    return _page(request, case)


@login_required
@require_POST
def handover_preparation(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    form = PreparationForm(request.POST)
    if not form.is_valid():
        return _page(request, case, preparation_form=form, status=400)
    try:
        preparation_save(actor=request.user, case=case, **form.service_kwargs())
    except Refusal as exc:
        show_refusal(form, exc)
        conflict = exc if isinstance(exc, EditConflict) else None
        if conflict is not None:
            form.data = form.data.copy()
            form.data["version"] = str(conflict.extra["current"]["version"])
        return _page(request, case, preparation_form=form, conflict=conflict, status=exc.status_code)
    messages.success(request, "Handover preparation saved.")
    return redirect(reverse("protocol:case-handover", args=[case.pk]) + "#checklist")


@login_required
@require_POST
def handover_send_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _page(request, case, send_form=form, status=400)
    try:
        handover = handover_send(actor=request.user, case=case, **form.service_kwargs())
    except Refusal as exc:
        show_refusal(form, exc)
        return _page(request, case, send_form=form, status=exc.status_code)
    lawyer = handover.lawyer
    messages.success(
        request, f"Charging request sent to {lawyer.get_full_name() or lawyer.username}. The pack is being prepared."
    )
    return redirect(reverse("protocol:case-handover", args=[case.pk]) + "#requests")


def handover_panel_context(user: User, case: Case) -> dict:
    """The case page's readiness panel: ready for the CPS, or how many items are missing."""
    items = cl.evaluate(handover_facts(case))
    missing = cl.missing_items(items)
    return {
        "handover_missing": missing,
        "handover_blocking": cl.blocking_items(items),
        "handover_sent": case.handovers.count(),
    }
