"""Recording pages: a case's crime records with the live advice, recording and reclassifying a crime,
the registrar's audit queue and sample, and the recording statistics (page, chart and CSV).

Thin plain-function views: access through `accounts.policy`, writes through `recording.services`,
reads through `recording.selectors`; the API (recording/api.py) calls the same functions.
"""

import csv
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework.choices import OutcomeCode
from casework.models import Case
from casework.views.refusals import show_refusal
from casework.views.sections import case_context
from config.errors import EditConflict, Refusal
from recording import selectors, services
from recording.advice import Suggestion
from recording.charts import month_chart
from recording.choices import Classification, Offence
from recording.forms import (
    DEFAULT_STATISTICS_MONTHS,
    AuditSampleForm,
    CountingRuleOverride,
    CrimeRecordForm,
    ReclassifyForm,
    ReviewDecisionForm,
    StatisticsForm,
)
from recording.models import CrimeRecord, Reclassification, ReviewDecision
from recording.selectors import MonthFigures, QueueEntry

OVERRIDE_NEEDED = "Say why you are keeping this classification, or choose another offence"


# --- Access ----------------------------------------------------------------------------------------


def _case_for_recording(user: User, case_id: int) -> Case:
    """The case if the user may record crimes in it: its unit's officers (EDIT_CASE) or the
    registrar and supervisors (RECORD_CRIME), as `recording.services` allows; 404 otherwise."""
    try:
        return policy.access_case(user, case_id, Action.EDIT_CASE)
    except Http404:
        return policy.access_case(user, case_id, Action.RECORD_CRIME)


def _may_record(user: User, case: Case) -> bool:
    return policy.may(user, Action.EDIT_CASE, case) or policy.may(user, Action.RECORD_CRIME, case)


def _require_recording_role(user: User) -> None:
    """The audit queue and statistics are for the roles that take recording decisions: 404 for others."""
    if not policy.role_may(user, Action.RECORD_CRIME):
        raise Http404


# --- Crime records of a case -----------------------------------------------------------------------


@login_required
@require_GET
def case_records(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = policy.access_case(user, case_id, Action.VIEW_CASE)
    records = list(case.crime_records.select_related("recorded_by").order_by("-is_principal", "recorded_at"))
    history = list(
        Reclassification.objects.filter(record__case=case)
        .select_related("record", "changed_by")
        .order_by("-changed_at", "-id")
    )
    advice = selectors.case_advice(case)
    audit.consulted(case, detail="recording advice")
    audit.consulted_many(CrimeRecord, [r.pk for r in records], detail=f"crime records of {case.reference}")
    context = case_context(user, case, "recording") | {
        "advice": advice,
        "records": records,
        "history": history,
        "may_record": _may_record(user, case),
    }
    return render(request, "recording/case_records.html", context)


def _refused(
    request: HttpRequest, template: str, context: dict, form: CountingRuleOverride, exc: Refusal
) -> HttpResponse:
    """The form again: counting-rule warnings shown with a request for the reason to keep the
    classification (400); someone else's change shown with the record as it is now (409)."""
    if isinstance(exc, services.CountingRuleWarnings):
        form.ask_override(OVERRIDE_NEEDED)
        context = {**context, "warnings": [w["message"] for w in exc.extra.get("warnings", [])]}
    else:
        show_refusal(form, exc)
    if isinstance(exc, EditConflict):
        current = exc.extra["current"]
        form.data = form.data.copy()
        form.data["version"] = str(current["version"])
        context = {
            **context,
            "conflict": {
                "classification": Classification(current["classification"]).label,
                "offence": Offence(current["offence"]).label,
            },
        }
    return render(request, template, {**context, "form": form}, status=exc.status_code)


def _form_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for_recording(request.user, case_id)
    has_principal = case.crime_records.filter(is_principal=True).exists()
    form = CrimeRecordForm(_form_data(request), initial={"is_principal": "false" if has_principal else "true"})
    advice = selectors.case_advice(case)
    context = {"case": case, "suggestion": advice.suggestions[0] if advice.suggestions else None}
    if request.method == "POST" and form.is_valid():
        try:
            record = services.crime_record_create(actor=request.user, case=case, **form.service_kwargs())
        except Refusal as exc:
            return _refused(request, "recording/record_form.html", context, form, exc)
        messages.success(request, f"Crime recorded: {record.crime_number}, {record.get_classification_display()}.")
        return redirect("recording:case-records", case_id=case.pk)
    if request.method == "GET":
        audit.consulted(case, detail="recording advice")
    status = 400 if form.is_bound else 200
    return render(request, "recording/record_form.html", context | {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record_reclassify(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    case = _case_for_recording(request.user, case_id)
    record = case.crime_records.filter(pk=record_id).first()
    if record is None:
        raise Http404("No such crime record.")
    record.case = case
    form = ReclassifyForm(_form_data(request), initial={"version": record.version})
    context = {"case": case, "record": record}
    if request.method == "POST" and form.is_valid():
        old = record.classification
        try:
            record = services.crime_record_reclassify(actor=request.user, record=record, **form.service_kwargs())
        except Refusal as exc:
            context["record"] = CrimeRecord.objects.get(pk=record.pk)
            return _refused(request, "recording/reclassify_form.html", context, form, exc)
        messages.success(request, f"{record.crime_number} reclassified from {old} to {record.classification}.")
        return redirect("recording:case-records", case_id=case.pk)
    if request.method == "GET":
        audit.consulted(record)
    status = 400 if form.is_bound else 200
    return render(request, "recording/reclassify_form.html", context | {"form": form}, status=status)


# --- The recording audit queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    entry: QueueEntry
    suggestion: Suggestion | None
    form: ReviewDecisionForm


def _queue_page(
    request: HttpRequest, failed: ReviewDecisionForm | None = None, failed_case_id: int | None = None, status=200
) -> HttpResponse:
    entries = selectors.audit_queue(request.user)
    audit.consulted_many(Case, [e.case.pk for e in entries], detail="recording audit queue")
    rows = [
        QueueRow(
            entry=entry,
            suggestion=entry.advice.suggestions[0] if entry.advice.suggestions else None,
            form=failed
            if failed is not None and entry.case.pk == failed_case_id
            else ReviewDecisionForm(case_id=entry.case.pk),
        )
        for entry in entries
    ]
    context = {
        "rows": rows,
        "failed_form": failed,
        "show_notice_review": policy.role_may(request.user, Action.REVIEW_LEGACY_NOTICES),
    }
    return render(request, "recording/audit_queue.html", context, status=status)


@login_required
@require_GET
def audit_queue(request: HttpRequest) -> HttpResponse:
    _require_recording_role(request.user)
    return _queue_page(request)


def _decision_message(case: Case, decision: str, offence: str) -> str:
    if decision == ReviewDecision.RECLASSIFY:
        done = f"reclassified to {Offence(offence).label}"
    elif decision == ReviewDecision.AGREE:
        done = "you agreed with the recording"
    else:
        done = "recorded as not stalking"
    return f"{case.reference}: {done}. The case has left the audit queue."


@login_required
@require_POST
def audit_decision(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.RECORD_CRIME)
    form = ReviewDecisionForm(request.POST, case_id=case.pk)
    if not form.is_valid():
        return _queue_page(request, form, case.pk, status=400)
    kwargs = form.service_kwargs()
    try:
        services.recording_review_decide(actor=request.user, case=case, **kwargs)
    except Refusal as exc:
        show_refusal(form, exc)
        return _queue_page(request, form, case.pk, status=exc.status_code)
    messages.success(request, _decision_message(case, kwargs["decision"], kwargs["offence"]))
    return redirect("recording:audit-queue")


@login_required
@require_GET
def audit_sample(request: HttpRequest) -> HttpResponse:
    _require_recording_role(request.user)
    bound = any(name in request.GET for name in AuditSampleForm.base_fields)
    form = AuditSampleForm(request.GET if bound else None)
    records = None
    if bound and form.is_valid():
        data = form.cleaned_data
        records = selectors.audit_sample(request.user, size=data["size"], seed=data["seed"], since=data["since"])
        detail = f"recording audit sample seed={data['seed']} since={data['since']:%Y-%m-%d}"
        audit.consulted_many(CrimeRecord, [r.pk for r in records], detail=detail)
    status = 400 if bound and form.errors else 200
    return render(request, "recording/audit_sample.html", {"form": form, "records": records}, status=status)


# --- Statistics ------------------------------------------------------------------------------------

STATISTICS_COLUMNS = ("Month", "Harassment", "Stalking", "Harassment per stalking", "Reclassified", "Reviewed")


@dataclass(frozen=True)
class StatisticsRow:
    """One month of the table and of the CSV: the same numbers in both."""

    month: date
    harassment: int
    stalking: int
    ratio: str
    reclassified: int
    reviewed: int

    def csv_cells(self) -> list[str]:
        return [
            f"{self.month:%Y-%m}",
            str(self.harassment),
            str(self.stalking),
            self.ratio,
            str(self.reclassified),
            str(self.reviewed),
        ]


def _since(months: int) -> date:
    """The first day of the period, as the statistics API computes it."""
    return (timezone.localdate() - timedelta(days=31 * months)).replace(day=1)


def _every_month(figures: list[MonthFigures], since: date, until: date) -> list[StatisticsRow]:
    """A row for every month of the period, months without records included."""
    by_month = {f.month: f for f in figures}
    rows, month = [], since.replace(day=1)
    while month <= until:
        f = by_month.get(month) or MonthFigures(month, 0, 0, 0, 0)
        ratio = "n/a" if f.ratio is None else f"{f.ratio:g}"
        rows.append(StatisticsRow(month, f.harassment, f.stalking, ratio, f.reclassified, f.reviewed))
        month = (month + timedelta(days=32)).replace(day=1)
    return rows


def _statistics(request: HttpRequest) -> tuple[StatisticsForm, int, list[StatisticsRow]]:
    _require_recording_role(request.user)
    units = selectors.statistics_units(request.user)
    form = StatisticsForm(request.GET if "months" in request.GET else None, units=units)
    valid = form.is_bound and form.is_valid()
    months = form.cleaned_data["months"] if valid else DEFAULT_STATISTICS_MONTHS
    unit = form.cleaned_data["unit"] if valid else ""
    since = _since(months)
    figures = selectors.recording_statistics(request.user, since=since, unit=unit)
    return form, months, _every_month(figures, since, timezone.localdate())


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form, months, rows = _statistics(request)
    unit = form.cleaned_data.get("unit", "") if form.is_bound and not form.errors else ""
    outcomes = selectors.outcome_statistics(request.user, since=_since(months), unit=unit)
    codes = sorted({code for month in outcomes for code in month.counts})
    context = {
        "form": form,
        "months": months,
        "rows": rows,
        "chart": month_chart(rows),
        "outcome_codes": [OutcomeCode(code) for code in codes],
        "outcome_rows": [(m.month, [m.counts.get(code, 0) for code in codes]) for m in outcomes],
    }
    return render(request, "recording/statistics.html", context, status=400 if form.errors else 200)


def csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    form, months, rows = _statistics(request)
    if form.errors:
        return HttpResponse("Choose one of the periods offered.", status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"recording-statistics-{months}-months-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(STATISTICS_COLUMNS)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row.csv_cells()])
    return response
