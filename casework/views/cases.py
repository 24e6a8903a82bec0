"""Case pages: the list, opening a case, the case page, editing, moving stage and reassigning."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit, policy
from accounts.policy import Action
from casework import choices as c
from casework import panels, selectors, stages
from casework.forms import (
    CaseEditForm,
    CaseForm,
    CaseListForm,
    CaseReassignForm,
    CaseStageForm,
    IncidentForm,
    TimelineFilterForm,
    victim_choices,
)
from casework.models import Case, Incident
from casework.services import cases as case_services
from casework.timeline import TimelineFilters, timeline_page
from casework.views.refusals import render_refusal, show_refusal
from casework.views.rhythm import rhythm_chart
from casework.views.sections import case_context
from config.errors import InvalidInput, Refusal

PER_PAGE = 50


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseListForm(request.GET)
    filters = form.filters()
    cases = selectors.case_list_for_user(request.user, **filters)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.consulted_many(Case, [case.pk for case in page.object_list], detail="case list")
    query = request.GET.copy()
    query.pop("page", None)
    tabs = []
    for scope, label in (("mine", "My cases"), ("unit", "My unit")):
        tab_query = query.copy()
        tab_query["scope"] = scope
        current = (scope == "mine") == filters["mine"]
        tabs.append({"label": label, "url": f"?{tab_query.urlencode()}", "current": current})
    return render(
        request,
        "casework/case_list.html",
        {
            "form": form,
            "page": page,
            "tabs": tabs,
            "scope": "mine" if filters["mine"] else "unit",
            "page_query": query.urlencode(),
            "may_open": policy.role_may(request.user, Action.EDIT_CASE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not policy.role_may(request.user, Action.EDIT_CASE):
        raise PermissionDenied("Only officers and supervisors open cases")
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.case_open(actor=request.user, **form.service_kwargs())
        except Refusal as exc:
            return render_refusal(request, "casework/case_form.html", {"creating": True}, form, exc)
        messages.success(request, f"Case {case.reference} opened. Add the victim and the suspect next.")
        return redirect("casework:case-detail", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "casework/case_form.html", {"form": form, "creating": True}, status=status)


def _date_span(first: datetime, last: datetime) -> str:
    first, last = timezone.localtime(first).date(), timezone.localtime(last).date()
    if first == last:
        return date_format(first, "j M Y")
    start = date_format(first, "j M" if first.year == last.year else "j M Y")
    return f"{start} – {date_format(last, 'j M Y')}"


def _timeline_filters(form: TimelineFilterForm) -> tuple[TimelineFilters, str]:
    if not form.is_bound or not form.is_valid():
        return TimelineFilters(), ""
    data = form.cleaned_data
    return (
        TimelineFilters(
            kinds=tuple(sorted(data["kind"])),
            channel=data["channel"],
            person_id=data["person"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        ),
        data["cursor"],
    )


def _timeline_rows(rows: list[dict], case: Case, names: dict[int, str], may_edit: bool) -> list[dict]:
    kinds, channels = dict(c.TimelineKind.choices), dict(c.Channel.choices)
    incident_type = Incident._meta.label_lower
    for row in rows:
        row["kind_label"] = kinds.get(row["kind"], row["kind"])
        row["channel_label"] = channels.get(row["channel"], "")
        row["person_name"] = names.get(row["person_id"], "")
        row["edit_url"] = (
            reverse("casework:incident-edit", args=[case.pk, row["source_id"]])
            if may_edit and row["source_type"] == incident_type
            else ""
        )
    return rows


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id)
    context = case_context(request.user, case, "overview")
    parties = selectors.case_parties(case)
    names = {p.person_id: str(p.person) for p in parties}
    filter_form = TimelineFilterForm(request.GET or None, people=list(names.items()))
    filters, cursor = _timeline_filters(filter_form)
    try:
        rows, next_cursor = timeline_page(case.pk, filters=filters, cursor=cursor or None)
    except InvalidInput as exc:
        show_refusal(filter_form, exc)
        rows, next_cursor = timeline_page(case.pk, filters=filters)
    older_url = newest_url = ""
    query = request.GET.copy()
    if next_cursor:
        query["cursor"] = next_cursor
        older_url = f"?{query.urlencode()}#timeline"
    if cursor:
        query.pop("cursor", None)
        newest_url = f"?{query.urlencode()}#timeline"
    conduct, weeks = selectors.stored_conduct(case)
    people = [
        {"party": party, "other_cases": selectors.person_other_cases(request.user, party.person, exclude_case=case)}
        for party in parties
    ]
    next_stages, owned = _moves(case)
    now = timezone.now()
    audit.consulted(case)
    return render(
        request,
        "casework/case_detail.html",
        context
        | {
            "panels": panels.render_panels(request, case, context),
            "people": people,
            "victims": [p for p in parties if p.role == c.PartyRole.VICTIM],
            "suspects": [p for p in parties if p.role == c.PartyRole.SUSPECT],
            "conduct": conduct,
            "conduct_span": _date_span(conduct.first, conduct.last) if conduct.established else "",
            "chart": rhythm_chart(weeks),
            "timeline": _timeline_rows(rows, case, names, context["may_edit"]),
            "filter_form": filter_form,
            "filtered": filters != TimelineFilters(),
            "older_url": older_url,
            "newest_url": newest_url,
            "incident_form": IncidentForm(victims=victim_choices(parties), auto_id="quick_%s"),
            "stage_form": CaseStageForm(initial={"version": case.version}, next_stages=next_stages)
            if next_stages
            else None,
            "owned_moves": owned,
            "may_supervise": policy.may(request.user, Action.SUPERVISE_CASE, case),
            "case_alerts": list(selectors.alerts_for_user(request.user, case=case.pk, now=now)),
            "now": now,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    context = case_context(request.user, case, "overview")
    initial = CaseForm.initial_for(case) | {"version": case.version}
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.case_update(
                actor=request.user, case=case, expected_version=form.cleaned_data["version"], **form.service_kwargs()
            )
        except Refusal as exc:
            case.refresh_from_db()
            return render_refusal(request, "casework/case_form.html", context, form, exc)
        messages.success(request, "Case details saved.")
        return redirect("casework:case-detail", case_id=case.pk)
    if request.method == "GET":
        audit.consulted(case, detail="edit form")
    return render(request, "casework/case_form.html", context | {"form": form}, status=400 if form.is_bound else 200)


def _moves(case: Case) -> tuple[frozenset[str], list[dict]]:
    """The moves the generic form offers, and those made by recording a decision elsewhere (casework.stages):
    each with its label, the action to use and where."""
    open_stages = case_services.TRANSITIONS[case.stage]
    owners = stages.owned_moves(case.stage, open_stages)
    generic = frozenset(s for s in open_stages if stages.owner_of(case.stage, s) is None)
    owned = [
        {"stage": c.CaseStage(o.to_stage).label, "action": o.action, "url": o.url(case.pk)}
        for s in c.CaseStage.values
        for o in owners
        if o.to_stage == s
    ]
    return generic, owned


@login_required
@require_http_methods(["GET", "POST"])
def case_stage(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    next_stages, owned = _moves(case)
    context = case_context(request.user, case, "overview") | {"owned_moves": owned}
    owned_stages = frozenset(s for s in case_services.TRANSITIONS[case.stage] if s not in next_stages)
    form = CaseStageForm(
        request.POST or None, initial={"version": case.version}, next_stages=next_stages, owned_stages=owned_stages
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_services.case_transition(
                actor=request.user,
                case=case,
                to_stage=form.cleaned_data["to_stage"],
                expected_version=form.cleaned_data["version"],
                outcome_code=form.cleaned_data["outcome_code"],
            )
        except Refusal as exc:
            case.refresh_from_db()
            return render_refusal(request, "casework/case_stage.html", context, form, exc)
        messages.success(request, f"The case is now {c.CaseStage(case.stage).label.lower()}.")
        return redirect("casework:case-detail", case_id=case.pk)
    if request.method == "GET":
        audit.consulted(case, detail="stage form")
    status = 400 if form.is_bound else 200
    return render(request, "casework/case_stage.html", context | {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.SUPERVISE_CASE)
    context = case_context(request.user, case, "overview")
    form = CaseReassignForm(request.POST or None, initial={"version": case.version}, unit=case.unit)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.case_reassign(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                officer=form.cleaned_data["officer"],
                reason=form.cleaned_data["reason"],
            )
        except Refusal as exc:
            case.refresh_from_db()
            return render_refusal(request, "casework/case_reassign.html", context, form, exc)
        messages.success(request, f"Case reassigned to {case.officer.get_full_name() or case.officer}.")
        return redirect("casework:case-detail", case_id=case.pk)
    if request.method == "GET":
        audit.consulted(case, detail="reassign form")
    status = 400 if form.is_bound else 200
    return render(request, "casework/case_reassign.html", context | {"form": form}, status=status)
