"""An order's court application: asking for it to be prepared, and the page listing the versions prepared
(each with its status fragment, which htmx refreshes until the PDF is ready)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework.models import Case, CaseDocument
from casework.views.sections import case_context
from config.errors import Refusal
from orders.documents import spo_application_request
from orders.models import ProtectiveOrder


def _order(case: Case, order_id: int) -> ProtectiveOrder:
    order = ProtectiveOrder.objects.filter(case=case, pk=order_id).select_related("respondent").first()
    if order is None:
        raise Http404("No such order.")
    order.case = case
    return order


def order_documents_of(order: ProtectiveOrder) -> list[CaseDocument]:
    """The documents generated from the order, newest first (the include's `documents`)."""
    return list(
        CaseDocument.objects.filter(source_type=ProtectiveOrder._meta.label_lower, source_id=str(order.pk))
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
    )


@login_required
@require_POST
def order_application(request: HttpRequest, case_id: int, order_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    order = _order(case, order_id)
    try:
        document = spo_application_request(actor=request.user, order=order)
    except Refusal as exc:
        messages.error(request, f"The application cannot be prepared yet. {exc.message}")
    else:
        messages.success(
            request, f"{document.title}: being prepared. The download link appears below when it is ready."
        )
    return redirect("orders:order-documents", case_id=case.pk, order_id=order.pk)


@login_required
@require_GET
def order_documents(request: HttpRequest, case_id: int, order_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id)
    order = _order(case, order_id)
    documents = order_documents_of(order)
    audit.consulted(order, detail=f"court application documents in {case.reference}")
    context = case_context(request.user, case, "protection") | {"order": order, "documents": documents}
    return render(request, "orders/order_documents.html", context)
