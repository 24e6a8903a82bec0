"""Bail and warrants: how the suspect was dealt with (with the supervisor's review of routes that leave
the victim without conditions), bail extended, ended and conditioned, and the PHA s.2B warrant register.

Thin plain-function views: access through `accounts.policy`, writes through `orders.services`, reads
through `orders.selectors`. A refused form comes back on the page it was filled in, with its errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework.choices import PartyRole
from casework.forms import RevealForm
from casework.models import Case, CaseParty, Evidence
from casework.views.refusals import show_refusal
from casework.views.sections import case_context
from config.errors import Refusal
from orders import choices as c
from orders import selectors, services, zones
from orders.forms.routes import (
    BailConditionForm,
    BailEndForm,
    BailExtendForm,
    RouteForm,
    RouteReviewForm,
    WarrantApplyForm,
    WarrantDecideForm,
    WarrantExecuteForm,
)
from orders.models import SearchWarrant, SuspectRoute
from orders.views.orders import breach_form_page

# Bail ending within this many days is flagged on the page, so it is extended or ended in time.
BAIL_ENDING_SOON_DAYS = 7
PROTECTABLE_ROLES = (PartyRole.VICTIM, PartyRole.CHILD, PartyRole.WITNESS)


# --- Reads for the pages (plain data, no queries in templates) ---------------------------------------


def _people(case: Case, roles) -> list[tuple[int, str]]:
    parties = CaseParty.objects.filter(case=case, role__in=roles).select_related("person").order_by("added_at", "id")
    return [(p.person_id, str(p.person)) for p in parties]


def _exhibits(case: Case) -> list[tuple[int, str]]:
    rows = (
        Evidence.objects.filter(case=case)
        .order_by("uploaded_at", "id")
        .values_list("pk", "exhibit_reference", "description")
    )
    return [(pk, f"{ref}: {description}") for pk, ref, description in rows]


def _route_form(case: Case, data=None) -> RouteForm:
    return RouteForm(data, suspects=_people(case, [PartyRole.SUSPECT]), prefix="route")


def _bail_state(route: SuspectRoute, today) -> dict:
    """Whether bail is current and how near its end: the reminder on the page."""
    if not route.is_bail:
        return {"label": "", "tag": ""}
    if route.bail_ended_on:
        return {"label": f"Ended {route.bail_ended_on:%-d %b %Y}", "tag": "grey"}
    if route.bail_end < today:
        return {"label": "Past its end date: extend or end it", "tag": "red"}
    days = (route.bail_end - today).days
    if days <= BAIL_ENDING_SOON_DAYS:
        return {"label": "Ends today" if days == 0 else f"Ends in {days} day{'s' if days > 1 else ''}", "tag": "orange"}
    return {"label": "Current", "tag": "green"}


def _warrant_rows(case: Case, may_edit: bool, exhibits, failed: tuple[int, object] | None) -> list[dict]:
    warrants = case.search_warrants.prefetch_related("seized_evidence").order_by("-applied_on", "-id")
    rows = []
    for warrant in warrants:
        form = None
        if may_edit and warrant.status in (c.WarrantStatus.APPLIED, c.WarrantStatus.GRANTED):
            step = WarrantDecideForm if warrant.status == c.WarrantStatus.APPLIED else WarrantExecuteForm
            # The form just refused, unless the warrant has meanwhile moved on to its next step.
            if failed and failed[0] == warrant.pk and isinstance(failed[1], step):
                form = failed[1]
            elif step is WarrantDecideForm:
                form = WarrantDecideForm(prefix=f"warrant-{warrant.pk}")
            else:
                form = WarrantExecuteForm(prefix=f"warrant-{warrant.pk}", exhibits=exhibits)
        rows.append({"warrant": warrant, "form": form})
    return rows


def _case_routes_page(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    route_form: RouteForm | None = None,
    review: tuple[int, RouteReviewForm] | None = None,
    apply_form: WarrantApplyForm | None = None,
    warrant: tuple[int, object] | None = None,
) -> HttpResponse:
    user = request.user
    context = case_context(user, case, "routes")
    may_edit = context["may_edit"]
    may_supervise = policy.may(user, Action.SUPERVISE_CASE, case)
    today = timezone.localdate()
    routes = selectors.routes_of_case(case)
    reviews = []
    for route in routes:
        if may_supervise and route.needs_review and route.reviewed_at is None:
            form = review[1] if review and review[0] == route.pk else RouteReviewForm(prefix=f"review-{route.pk}")
            reviews.append({"route": route, "form": form})
    route_form = route_form or _route_form(case)
    # The rule lives in the service; it is asked per route so the page warns exactly when it applies.
    needs_reason = (
        {route for route in c.UNPROTECTED_ROUTES if services.route_needs_reason(case, route)} if may_edit else set()
    )
    exhibits = _exhibits(case) if may_edit else []
    forms_with_errors = [f for f in (route_form, apply_form, review and review[1], warrant and warrant[1]) if f]
    context |= {
        "routes": [{"route": r, "bail": _bail_state(r, today)} for r in routes],
        "reviews": reviews,
        "route_form": route_form,
        "route_options": route_form.route_options(needs_reason),
        "needs_reason": [label for value, label in c.Route.choices if value in needs_reason],
        "apply_form": apply_form or WarrantApplyForm(prefix="warrant"),
        "warrants": _warrant_rows(case, may_edit, exhibits, warrant),
        "error_form": next((f for f in forms_with_errors if f.errors), None),
    }
    return render(request, "orders/routes.html", context, status=status)


def _route(case: Case, route_id: int) -> SuspectRoute:
    route = case.suspect_routes.filter(pk=route_id).select_related("suspect", "reviewed_by", "recorded_by").first()
    if route is None:
        raise Http404("No such route.")
    route.case = case
    return route


def _warrant(case: Case, warrant_id: int) -> SearchWarrant:
    warrant = case.search_warrants.filter(pk=warrant_id).first()
    if warrant is None:
        raise Http404("No such warrant.")
    warrant.case = case
    return warrant


def _routes_url(case: Case, anchor: str) -> str:
    return f"{reverse('orders:case-routes', args=[case.pk])}#{anchor}"


# --- The case's page ----------------------------------------------------------------------------------


@login_required
@require_GET
def case_routes(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
    audit.consulted(case, detail="bail, route to court and search warrants")
    return _case_routes_page(request, case)


@login_required
@require_POST
def route_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    form = _route_form(case, request.POST)
    if form.is_valid():
        try:
            route = services.route_record(actor=request.user, case=case, **form.service_kwargs())
        except Refusal as exc:
            show_refusal(form, exc)
            return _case_routes_page(request, case, status=exc.status_code, route_form=form)
        review = " Your supervisor will review the reason." if route.needs_review else ""
        messages.success(request, f"Recorded: {route.get_route_display().lower()} of {route.suspect}.{review}")
        return redirect(_routes_url(case, "routes-title"))
    return _case_routes_page(request, case, status=400, route_form=form)


@login_required
@require_POST
def route_review(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.SUPERVISE_CASE)
    route = _route(case, route_id)
    form = RouteReviewForm(request.POST, prefix=f"review-{route.pk}")
    if form.is_valid():
        try:
            services.route_review(actor=request.user, route=route, note=form.cleaned_data["review_note"])
        except Refusal as exc:
            show_refusal(form, exc)
            return _case_routes_page(request, case, status=exc.status_code, review=(route.pk, form))
        messages.success(request, f"Review of the {route.get_route_display().lower()} recorded.")
        return redirect(_routes_url(case, "routes-title"))
    return _case_routes_page(request, case, status=400, review=(route.pk, form))


@login_required
@require_POST
def warrant_apply(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    form = WarrantApplyForm(request.POST, prefix="warrant")
    if form.is_valid():
        try:
            services.warrant_apply(actor=request.user, case=case, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _case_routes_page(request, case, status=exc.status_code, apply_form=form)
        messages.success(request, f"Search warrant application recorded for {form.cleaned_data['premises']}.")
        return redirect(_routes_url(case, "warrants-title"))
    return _case_routes_page(request, case, status=400, apply_form=form)


@login_required
@require_POST
def warrant_decide(request: HttpRequest, case_id: int, warrant_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    warrant = _warrant(case, warrant_id)
    form = WarrantDecideForm(request.POST, prefix=f"warrant-{warrant.pk}")
    if form.is_valid():
        try:
            warrant = services.warrant_decide(actor=request.user, warrant=warrant, **form.service_kwargs())
        except Refusal as exc:
            show_refusal(form, exc)
            return _case_routes_page(request, case, status=exc.status_code, warrant=(warrant.pk, form))
        messages.success(request, f"Search warrant for {warrant.premises}: {warrant.get_status_display().lower()}.")
        return redirect(_routes_url(case, "warrants-title"))
    return _case_routes_page(request, case, status=400, warrant=(warrant.pk, form))


@login_required
@require_POST
def warrant_execute(request: HttpRequest, case_id: int, warrant_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    warrant = _warrant(case, warrant_id)
    form = WarrantExecuteForm(request.POST, prefix=f"warrant-{warrant.pk}", exhibits=_exhibits(case))
    if form.is_valid():
        try:
            warrant = services.warrant_execute(actor=request.user, warrant=warrant, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _case_routes_page(request, case, status=exc.status_code, warrant=(warrant.pk, form))
        messages.success(request, f"Execution of the search warrant for {warrant.premises} recorded.")
        return redirect(_routes_url(case, "warrants-title"))
    return _case_routes_page(request, case, status=400, warrant=(warrant.pk, form))


# --- One route: its bail --------------------------------------------------------------------------


def _route_page(
    request: HttpRequest,
    case: Case,
    route: SuspectRoute,
    *,
    status: int = 200,
    extend_form: BailExtendForm | None = None,
    end_form: BailEndForm | None = None,
    condition_form: BailConditionForm | None = None,
    reveal_form: RevealForm | None = None,
) -> HttpResponse:
    context = case_context(request.user, case, "routes")
    conditions = list(route.conditions.prefetch_related("protected_people").order_by("created_at", "id"))
    # Zone addresses are sealed (orders/zones.py): shown as the order page shows them.
    reveal_form = reveal_form or RevealForm()
    reason = reveal_form.cleaned_data["reason"] if reveal_form.is_bound and reveal_form.is_valid() else ""
    sight = zones.zone_sight(request.user, case, conditions, reveal_reason=reason, where=f", {route}")
    current_bail = route.is_bail and route.bail_ended_on is None
    condition_form = condition_form or BailConditionForm(
        prefix="condition", protectable=_people(case, PROTECTABLE_ROLES)
    )
    forms = (extend_form, end_form, condition_form)
    context |= {
        "route": route,
        "bail": _bail_state(route, timezone.localdate()),
        "extensions": list(route.extensions.order_by("authorised_on", "id")),
        "conditions": [
            {
                "condition": cond,
                "zone_address": cond.zone_address if sight.shown else "",
                "zone_withheld": bool(cond.zone_address) and not sight.shown,
                "near_her_address": sight.shown
                and zones.near_protected(cond.zone_address, [p.pk for p in cond.protected_people.all()], case),
            }
            for cond in conditions
        ],
        "zone_may_reveal": sight.may_reveal and any(cond.zone_address for cond in conditions),
        "reveal_form": reveal_form,
        "near_warning": zones.NEAR_WARNING,
        "breaches": list(route.breaches.select_related("incident", "condition").order_by("-incident__occurred_at")),
        "may_change_bail": context["may_edit"] and current_bail,
        "extend_form": extend_form or BailExtendForm(prefix="extend"),
        "end_form": end_form or BailEndForm(prefix="end"),
        "condition_form": condition_form,
        "kind_options": condition_form.kind_options(),
        "error_form": next((f for f in (*forms, reveal_form) if f is not None and f.errors), None),
    }
    return render(request, "orders/routes_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def route_detail(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    """The route and its bail; a POST with a reason shows the zone addresses to a user who may see them
    only so."""
    case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
    route = _route(case, route_id)
    if request.method == "POST":
        reveal_form = RevealForm(request.POST)
        status = 200 if reveal_form.is_valid() else 400
        return _route_page(request, case, route, reveal_form=reveal_form, status=status)
    audit.consulted(route, detail=f"route to court and bail in {case.reference}")
    return _route_page(request, case, route)


@login_required
@require_http_methods(["GET", "POST"])
def bail_breach_create(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    """Log a breach of bail conditions, as for an order's (orders/views/orders.py)."""
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    route = _route(case, route_id)
    if not route.is_bail:
        raise Http404("That route has no bail to breach.")
    return breach_form_page(
        request, case, bail=route, conditions=list(route.conditions.order_by("created_at", "id")),
        breached="bail conditions", back=(reverse("orders:route-detail", args=[case.pk, route.pk]), "Back to bail"),
    )  # fmt: skip


def _route_url(case: Case, route: SuspectRoute, anchor: str) -> str:
    return f"{reverse('orders:route-detail', args=[case.pk, route.pk])}#{anchor}"


@login_required
@require_POST
def bail_extend(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    route = _route(case, route_id)
    form = BailExtendForm(request.POST, prefix="extend")
    if form.is_valid():
        try:
            extension = services.bail_extend(actor=request.user, route=route, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _route_page(request, case, route, status=exc.status_code, extend_form=form)
        messages.success(request, f"Bail extended to {extension.new_end:%-d %B %Y}. The victim must be told.")
        return redirect(_route_url(case, route, "extensions-title"))
    return _route_page(request, case, route, status=400, extend_form=form)


@login_required
@require_POST
def bail_end(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    route = _route(case, route_id)
    form = BailEndForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            services.bail_end(actor=request.user, route=route, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _route_page(request, case, route, status=exc.status_code, end_form=form)
        messages.success(request, "Bail ended.")
        return redirect(_route_url(case, route, "route-title"))
    return _route_page(request, case, route, status=400, end_form=form)


@login_required
@require_POST
def bail_condition_add(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    route = _route(case, route_id)
    form = BailConditionForm(request.POST, prefix="condition", protectable=_people(case, PROTECTABLE_ROLES))
    if form.is_valid():
        try:
            services.condition_add(actor=request.user, bail=route, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _route_page(request, case, route, status=exc.status_code, condition_form=form)
        messages.success(request, "Bail condition added. The victim must be told.")
        return redirect(_route_url(case, route, "conditions-title"))
    return _route_page(request, case, route, status=400, condition_form=form)
