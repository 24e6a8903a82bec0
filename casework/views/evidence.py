"""Evidence pages: the exhibits and evidence tasks, uploading, downloading and chain of custody."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework.forms import EvidenceTaskForm, EvidenceUploadForm
from casework.models import Evidence, EvidenceTask
from casework.services import evidence as evidence_services
from casework.services.incidents import incident_summary
from casework.views.refusals import render_refusal
from casework.views.sections import case_context
from config.errors import Refusal

_UNSAFE_IN_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def _evidence_page(request: HttpRequest, case, task_form: EvidenceTaskForm | None = None) -> dict:
    today = timezone.localdate()
    tasks = list(case.evidence_tasks.order_by("done_at", "due_on", "id"))
    return case_context(request.user, case, "evidence") | {
        "exhibits": list(case.evidence.select_related("uploaded_by").order_by("uploaded_at", "id")),
        "open_tasks": [{"task": t, "overdue": t.due_on < today} for t in tasks if t.done_at is None],
        "done_tasks": [t for t in tasks if t.done_at is not None],
        "task_form": task_form or EvidenceTaskForm(),
    }


@login_required
@require_GET
def evidence_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id)
    context = _evidence_page(request, case)
    audit.consulted(case, detail="exhibits and evidence tasks")
    return render(request, "casework/evidence_list.html", context)


# CSRF is checked in _evidence_upload, after the access check and the size check: the CSRF middleware
# would read (and spool to disk) the whole body first, to find the token among the form fields.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    if request.method == "POST":
        try:
            evidence_services.refuse_oversized_request(request)
        except Refusal as exc:
            context = case_context(request.user, case, "evidence")
            form = EvidenceUploadForm(incidents=[])
            form.cleaned_data = {}  # never bound (the body is not read): the page shows the refusal alone
            return render_refusal(request, "casework/evidence_upload.html", context, form, exc)
    return _evidence_upload(request, case)


@csrf_protect
def _evidence_upload(request: HttpRequest, case) -> HttpResponse:
    context = case_context(request.user, case, "evidence")
    incidents = {i.pk: i for i in case.incidents.order_by("-occurred_at", "-id")[:200]}
    choices = [
        (pk, f"{timezone.localtime(i.occurred_at):%d %b %Y %H:%M} – {incident_summary(i)}")
        for pk, i in incidents.items()
    ]
    form = EvidenceUploadForm(request.POST or None, request.FILES or None, incidents=choices)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_services.evidence_upload(
                actor=request.user,
                case=case,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                incident=incidents.get(form.cleaned_data["incident"]),
            )
        except Refusal as exc:
            return render_refusal(request, "casework/evidence_upload.html", context, form, exc)
        messages.success(request, f"Exhibit {evidence.exhibit_reference} uploaded.")
        return redirect("casework:evidence-list", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "casework/evidence_upload.html", context | {"form": form}, status=status)


def _exhibit(case, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(case=case, pk=evidence_id).select_related("uploaded_by", "incident").first()
    if evidence is None:
        raise Http404("No such exhibit.")
    return evidence


@login_required
@require_GET
def evidence_detail(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id)
    evidence = _exhibit(case, evidence_id)
    custody = list(audit.history(evidence)[:500])
    audit.consulted(evidence, detail="exhibit details and chain of custody")
    context = case_context(request.user, case, "evidence") | {"evidence": evidence, "custody": custody}
    return render(request, "casework/evidence_detail.html", context)


def _safe_filename(name: str) -> str:
    name = _UNSAFE_IN_FILENAME.sub("_", name).strip(" .")
    return name[:150] or "exhibit"


@login_required
@require_GET
def evidence_download(request: HttpRequest, case_id: int, evidence_id: int) -> FileResponse:
    case = policy.access_case(request.user, case_id)
    evidence = _exhibit(case, evidence_id)
    handle = evidence_services.evidence_open(actor=request.user, evidence=evidence, download=True)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_safe_filename(evidence.original_name),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, the file could run no script and reach no origin.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def evidence_task_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    form = EvidenceTaskForm(request.POST)
    if form.is_valid():
        try:
            task = evidence_services.evidence_task_create(actor=request.user, case=case, **form.cleaned_data)
        except Refusal as exc:
            return render_refusal(
                request, "casework/evidence_list.html", _evidence_page(request, case, form), form, exc
            )
        messages.success(request, f"Task added: secure {task.description} by {date_format(task.due_on, 'j M Y')}.")
        return redirect("casework:evidence-list", case_id=case.pk)
    return render(request, "casework/evidence_list.html", _evidence_page(request, case, form), status=400)


@login_required
@require_POST
def evidence_task_complete(request: HttpRequest, case_id: int, task_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    task = EvidenceTask.objects.filter(case=case, pk=task_id).first()
    if task is None:
        raise Http404("No such task.")
    task.case = case
    try:
        evidence_services.evidence_task_complete(actor=request.user, task=task)
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect("casework:evidence-list", case_id=case.pk)
    messages.success(request, f"Marked as done: {task.description}.")
    return redirect("casework:evidence-list", case_id=case.pk)
