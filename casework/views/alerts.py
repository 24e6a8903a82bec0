"""Alert pages: the list with its filters, acknowledging and snoozing, and the header badge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit, policy
from accounts.policy import Action
from casework.forms.alerts import AlertAcknowledgeForm, AlertListForm, AlertSnoozeForm
from casework.models import Alert, Case
from casework.selectors import alerts_for_user
from casework.services.alerts import alert_acknowledge, alert_snooze
from casework.views.refusals import show_refusal
from config.errors import Refusal

PER_PAGE = 50


def _editable_case_ids(user, case_ids: set[int]) -> set[int]:
    """The cases among these whose alerts the user may act on, in one query."""
    if not case_ids or not policy.role_may(user, Action.EDIT_CASE):
        return set()
    cases = Case.objects.filter(policy.cases_where(user, Action.EDIT_CASE), pk__in=case_ids)
    return set(cases.values_list("pk", flat=True))


def _row(alert: Alert, may_act: bool, next_url: str, now) -> dict:
    row = {"alert": alert, "may_act": may_act, "overdue": alert.due_at is not None and alert.due_at < now}
    if may_act and alert.resolved_at is None:
        row["acknowledge_form"] = AlertAcknowledgeForm(initial={"next": next_url}, auto_id=f"ack{alert.pk}_%s")
        row["snooze_form"] = AlertSnoozeForm(
            initial={"next": next_url, "until": AlertSnoozeForm.default_until()}, auto_id=f"snooze{alert.pk}_%s"
        )
    return row


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    form = AlertListForm(request.GET)
    filters = form.filters()
    now = timezone.now()
    alerts = alerts_for_user(request.user, **filters, now=now)
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    case_ids = {alert.case_id for alert in page.object_list}
    if case_ids:
        audit.consulted_many(Case, sorted(case_ids), detail="alert list")
    editable = _editable_case_ids(request.user, case_ids)
    query = request.GET.copy()
    query.pop("page", None)
    next_url = f"{reverse('casework:alert-list')}?{query.urlencode()}"
    filtered_case = None
    if filters["case"]:
        filtered_case = next((a.case for a in page.object_list), None) or (
            Case.objects.filter(policy.cases_where(request.user, Action.VIEW_CASE), pk=filters["case"]).first()
        )
    return render(
        request,
        "casework/alert_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": [_row(alert, alert.case_id in editable, next_url, now) for alert in page.object_list],
            "page_query": query.urlencode(),
            "filtered_case": filtered_case,
            "now": now,
        },
    )


def _alert_for(request: HttpRequest, alert_id: int) -> Alert:
    """The alert if it is on a case the user may see; 404 alike for "missing" and "not yours"."""
    alert = alerts_for_user(request.user, state="all").filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    return alert


def _next_url(request: HttpRequest, form) -> str:
    target = form.data.get("next", "") if form.is_bound else ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("casework:alert-list")


def _alert_action(request: HttpRequest, alert_id: int, form_class, action: str) -> HttpResponse:
    alert = _alert_for(request, alert_id)
    initial = {"next": request.GET.get("next", "")}
    if form_class is AlertSnoozeForm:
        initial["until"] = AlertSnoozeForm.default_until()
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "acknowledge":
                alert_acknowledge(actor=request.user, alert=alert, reason=data["reason"])
                messages.success(request, f"Alert acknowledged: {alert.get_kind_display()} ({alert.case.reference}).")
            else:
                alert_snooze(actor=request.user, alert=alert, until=data["until"], reason=data["reason"])
                until = timezone.localtime(alert.snoozed_until)
                messages.success(
                    request,
                    f"Alert snoozed until {until:%d %b %Y %H:%M}: {alert.get_kind_display()} ({alert.case.reference}).",
                )
            return redirect(_next_url(request, form))
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
    else:
        status = 400 if form.is_bound else 200
    return render(
        request,
        "casework/alert_action.html",
        {"alert": alert, "case": alert.case, "form": form, "action": action},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _alert_action(request, alert_id, AlertAcknowledgeForm, "acknowledge")


@login_required
@require_http_methods(["GET", "POST"])
def alert_snooze_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _alert_action(request, alert_id, AlertSnoozeForm, "snooze")


@require_GET
def alert_badge(request: HttpRequest) -> HttpResponse:
    """The header badge (polled by htmx): open alerts on the user's own cases, police roles only.
    Signed out (the session expired), it answers 204 so htmx leaves the badge alone rather than
    swapping a log-in page into the header."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    count = alerts_for_user(request.user, mine=True).count() if policy.role_may(request.user, Action.VIEW_CASE) else 0
    return render(request, "casework/_alerts_badge.html", {"alert_count": count})
