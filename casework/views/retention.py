"""The crime registrar's retention review (MoPI, domain.md §11.2): the queue of finalised cases whose
review date has come, and one case's review page with the decision form (retain or dispose). Only users
whose role holds REVIEW_RETENTION see these pages; everyone else gets 404. Decisions go through
casework/services/retention.py, whose refusals come back onto the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit, policy
from accounts.policy import Action
from casework.choices import CaseStage, RetentionDecisionKind, RetentionGroup
from casework.forms.retention import RetentionDecisionForm
from casework.models import Case
from casework.retention import retention_group
from casework.selectors import retention_queue
from casework.services import retention as retention_services
from casework.views.refusals import show_refusal
from config.errors import Refusal


@login_required
@require_GET
def retention_queue_view(request: HttpRequest) -> HttpResponse:
    if not policy.role_may(request.user, Action.REVIEW_RETENTION):
        raise Http404("No such page.")
    cases = list(retention_queue(request.user))
    audit.consulted_many(Case, [case.pk for case in cases], detail="retention review queue")
    return render(request, "casework/retention_queue.html", {"cases": cases})


def _review_page(request: HttpRequest, case: Case, form: RetentionDecisionForm, status: int = 200) -> HttpResponse:
    group, why = retention_group(retention_services.retention_facts(case))
    context = {
        "case": case,
        "form": form,
        "group_label": RetentionGroup(case.retention_group).label if case.retention_group else "",
        "computed_group": RetentionGroup(group).label,
        "why": why,
        "due": retention_services.review_is_due(case),
        "counts": retention_services.case_counts(case),
        "decisions": list(case.retention_decisions.select_related("decided_by").order_by("-decided_at", "-id")),
    }
    return render(request, "casework/retention_review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def retention_review(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.REVIEW_RETENTION)
    if case.stage != CaseStage.FINALISED:
        raise Http404("No such case.")
    if request.method == "GET":
        audit.consulted(case, detail="retention review")
        return _review_page(request, case, RetentionDecisionForm())
    form = RetentionDecisionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == RetentionDecisionKind.RETAIN:
                retention_services.retention_retain(
                    actor=request.user,
                    case=case,
                    reason=data["reason"],
                    next_review_on=data["next_review_on"],
                    public_protection=data["public_protection"],
                )
            else:
                retention_services.case_dispose(
                    actor=request.user, case=case, reason=data["reason"], confirmed=data["confirmed"]
                )
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            if data["decision"] == RetentionDecisionKind.RETAIN:
                messages.success(request, f"{case.reference} is retained until {data['next_review_on']:%d %B %Y}.")
            else:
                messages.success(request, f"{case.reference} has been disposed of. The decision is recorded.")
            return redirect("casework:retention-queue")
    return _review_page(request, case, form, status=status)
