"""The crime registrar's review of warning notices (PINs) recorded as dated on or after the cut-off
(ADR 0003): the notices awaiting review in the force, each accepted as history or rejected with a reason.
Thin: access through `accounts.policy` (REVIEW_LEGACY_NOTICES), writes through `recording.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework.models import Case
from casework.views.refusals import show_refusal
from config.errors import Refusal
from recording import services
from recording.forms import LegacyNoticeReviewForm
from recording.models import LegacyNoticeReview, LegacyWarningNotice


def _page(request: HttpRequest, failed: tuple[int, LegacyNoticeReviewForm] | None = None, status=200) -> HttpResponse:
    cases = Case.objects.filter(policy.cases_where(request.user, Action.REVIEW_LEGACY_NOTICES))
    notices = list(
        LegacyWarningNotice.objects.filter(case__in=cases, review=LegacyNoticeReview.AWAITING)
        .select_related("case", "recipient", "recorded_by")
        .order_by("recorded_at", "id")
    )
    audit.consulted_many(LegacyWarningNotice, [n.pk for n in notices], detail="warning notices awaiting review")
    rows = [
        (notice, failed[1] if failed and failed[0] == notice.pk else LegacyNoticeReviewForm(prefix=f"n{notice.pk}"))
        for notice in notices
    ]
    context = {"rows": rows, "failed_form": failed[1] if failed else None, "show_notice_review": True}
    return render(request, "recording/legacy_notices.html", context, status=status)


@login_required
@require_GET
def legacy_notice_queue(request: HttpRequest) -> HttpResponse:
    if not policy.role_may(request.user, Action.REVIEW_LEGACY_NOTICES):
        raise Http404("No such page.")
    return _page(request)


@login_required
@require_POST
def legacy_notice_review(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = LegacyWarningNotice.objects.filter(pk=notice_id).select_related("case").first()
    if notice is None:
        raise Http404("No such notice.")
    policy.access_case(request.user, notice.case_id, Action.REVIEW_LEGACY_NOTICES)
    form = LegacyNoticeReviewForm(request.POST, prefix=f"n{notice.pk}")
    if not form.is_valid():
        return _page(request, (notice.pk, form), status=400)
    try:
        notice = services.legacy_notice_review(actor=request.user, notice=notice, **form.service_kwargs())
    except Refusal as exc:
        show_refusal(form, exc)
        return _page(request, (notice.pk, form), status=exc.status_code)
    messages.success(request, f"The notice in {notice.case.reference} is {notice.get_review_display().lower()}.")
    return redirect("recording:legacy-notices")
