"""Incident pages: logging one, editing one, and importing a victim's own log from CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit, policy
from accounts.policy import Action
from casework import selectors
from casework.forms import IncidentEditForm, IncidentForm, IncidentImportForm, victim_choices
from casework.incident_csv import parse_incident_csv, template_csv
from casework.models import Incident
from casework.services import incidents as incident_services
from casework.views.refusals import render_refusal
from casework.views.sections import case_context
from config.errors import Refusal


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    context = case_context(request.user, case, "overview")
    form = IncidentForm(request.POST or None, victims=victim_choices(selectors.case_parties(case)))
    if request.method == "POST" and form.is_valid():
        try:
            incident = incident_services.incident_record(actor=request.user, case=case, data=form.incident_input())
        except Refusal as exc:
            return render_refusal(request, "casework/incident_form.html", context, form, exc)
        messages.success(request, f"Incident logged: {incident_services.incident_summary(incident)}.")
        return redirect("casework:case-detail", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "casework/incident_form.html", context | {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, case_id: int, incident_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    incident = Incident.objects.filter(case=case, pk=incident_id).first()
    if incident is None:
        raise Http404("No such incident.")
    incident.case = case
    context = case_context(request.user, case, "overview") | {"incident": incident}
    form = IncidentEditForm(
        request.POST or None,
        initial=IncidentForm.initial_for(incident),
        victims=victim_choices(selectors.case_parties(case)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident_services.incident_update(
                actor=request.user,
                incident=incident,
                expected_version=form.cleaned_data["version"],
                data=form.incident_input(),
            )
        except Refusal as exc:
            context["incident"] = Incident.objects.get(pk=incident.pk)
            return render_refusal(request, "casework/incident_form.html", context, form, exc)
        messages.success(request, "Incident saved.")
        return redirect("casework:case-detail", case_id=case.pk)
    if request.method == "GET":
        audit.consulted(incident)
    status = 400 if form.is_bound else 200
    return render(request, "casework/incident_form.html", context | {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def incident_import(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    context = case_context(request.user, case, "overview")
    victims = victim_choices(selectors.case_parties(case))
    form = IncidentImportForm(request.POST or None, request.FILES or None, victims=victims)
    if request.method == "POST" and form.is_valid():
        try:
            rows, labels = parse_incident_csv(form.cleaned_data["file"].read(), form.cleaned_data["victim"])
            result = incident_services.incidents_record_batch(
                actor=request.user,
                case=case,
                client_key=form.cleaned_data["client_key"],
                rows=rows,
                source="csv",
                labels=labels,
            )
        except Refusal as exc:
            return render_refusal(request, "casework/incident_import.html", context, form, exc)
        count = result.batch.incident_count
        if result.created:
            messages.success(request, f"{count} incident{'s' if count != 1 else ''} imported from the CSV file.")
        else:
            messages.info(request, f"This file was already imported ({count} incidents): nothing was added twice.")
        return redirect("casework:case-detail", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "casework/incident_import.html", context | {"form": form}, status=status)


@login_required
@require_GET
def incident_import_template(request: HttpRequest, case_id: int) -> HttpResponse:
    policy.access_case(request.user, case_id, Action.EDIT_CASE)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="incident-log-template.csv"'
    return response
