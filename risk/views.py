"""Risk pages: a case's assessments, escalation and trajectory; one assessment to answer, plan, complete
and sign off; the risk panel on the case page.

Thin plain-function views: access through `accounts.policy`, writes through `risk.services`, reads
through `risk.selectors`; the API (risk/api.py) calls the same functions."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework.choices import PartyRole
from casework.models import Case, CaseParty
from casework.selectors import case_list_for_user
from casework.views.refusals import show_refusal
from casework.views.sections import case_context
from config.errors import EditConflict, InvalidInput, Refusal
from risk import questionnaires, selectors, services
from risk.choices import AssessmentStatus, EscalationLevel, Grade
from risk.models import RiskAssessment
from risk.webforms import ANSWER_CHOICES, AnswersForm, CompleteForm, PlanActionForm, StartForm

ANSWER_LABELS = dict(ANSWER_CHOICES)
# Where each completion refusal points on the page.
ERROR_ANCHORS = {
    "dash": "#form-dash",
    "stalking_supplementary": "#form-stalking_supplementary",
    "sdash": "#form-sdash",
    "victim_impact": "#form-dash",
    "risk_management_plan": "#plan-title",
    "grade": "#id_judgement_grade",
    "judgement_grade": "#id_judgement_grade",
    "safety_advice": "#id_safety_advice",
    "contact_arrangement": "#id_contact_arrangement",
    "next_review_due": "#id_next_review_due",
}


# --- Reads for the pages (plain data, no queries in templates) ---------------------------------------


def _victims(case: Case) -> list[tuple[int, str]]:
    parties = CaseParty.objects.filter(case=case, role=PartyRole.VICTIM).select_related("person").order_by("id")
    return [(p.person_id, str(p.person)) for p in parties]


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind, form.title) for kind, form in sorted(services.current_forms().items(), key=_kind_order)]


def _kind_order(item: tuple) -> int:
    kind = item[0]
    return questionnaires.FORM_KINDS.index(kind) if kind in questionnaires.FORM_KINDS else 99


def _start_form(case: Case, data=None) -> StartForm:
    return StartForm(data, victims=_victims(case), kinds=_kind_choices())


@dataclass
class ChartPoint:
    x: int
    y: int
    label: str
    yes_count: int


@dataclass
class Chart:
    width: int = 560
    height: int = 200
    points: list[ChartPoint] = field(default_factory=list)
    polyline: str = ""
    gridlines: list[tuple[int, int]] = field(default_factory=list)  # (y pixel, value)


def trajectory_chart(assessments: list[RiskAssessment], top: int = 27) -> Chart:
    """Yes answers of each completed assessment, oldest first, evenly spaced along x."""
    chart = Chart()
    left, right, upper, lower = 40, 20, 10, 30
    plot_w, plot_h = chart.width - left - right, chart.height - upper - lower
    step = plot_w // max(len(assessments) - 1, 1)
    for value in (0, 9, 14, 27):
        chart.gridlines.append((upper + plot_h - plot_h * value // top, value))
    for n, a in enumerate(assessments):
        count = a.yes_count or 0
        x = left + (step * n if len(assessments) > 1 else plot_w // 2)
        y = upper + plot_h - plot_h * min(count, top) // top
        chart.points.append(ChartPoint(x, y, a.completed_at.strftime("%-d %b") if a.completed_at else "", count))
    chart.polyline = " ".join(f"{p.x},{p.y}" for p in chart.points)
    return chart


def risk_panel_context(user: User, case: Case) -> dict:
    """The case page's risk panel: latest grade, next review, escalation and its top reasons."""
    trajectory = selectors.risk_trajectory(case)
    latest = selectors.latest_escalation(case)
    return {
        "risk_latest": trajectory[-1] if trajectory else None,
        "risk_trajectory": trajectory,
        "risk_escalation": latest,
        "risk_escalation_meaning": selectors.level_meaning(latest),
    }


@dataclass
class QuestionRow:
    question: questionnaires.Question
    answer: str
    answer_label: str
    details: str
    choices: list[tuple[str, str]]


@dataclass
class FormBlock:
    kind: str
    title: str
    sections: list[tuple[str, list[QuestionRow]]]


def _form_blocks(assessment: RiskAssessment, data=None) -> list[FormBlock]:
    """The assessment's questionnaires, section by section, with the answers given so far (or those
    just posted, when the page is shown again)."""
    blocks = []
    forms = sorted(assessment.forms.all(), key=lambda f: _kind_order((f.kind,)))
    for form in forms:
        definition = questionnaires.parse_form(form.definition)
        sections = []
        for section in definition.sections:
            rows = []
            for q in definition.questions:
                if q.section != section.key:
                    continue
                saved = assessment.answers.get(q.key, {})
                answer = data.get(q.key, "") if data is not None else saved.get("answer", "")
                details = data.get(f"{q.key}_details", "") if data is not None else saved.get("details", "")
                rows.append(QuestionRow(q, answer, ANSWER_LABELS.get(answer, "Not answered"), details, ANSWER_CHOICES))
            if rows:
                sections.append((section.title, rows))
        blocks.append(FormBlock(form.kind, definition.title, sections))
    return blocks


def _question_keys(assessment: RiskAssessment) -> list[str]:
    return [q.key for f in assessment.forms.all() for q in questionnaires.parse_form(f.definition).questions]


def _yes_risks(blocks: list[FormBlock]) -> list[str]:
    return [
        f"{block.title.split(' (')[0]} {row.question.number}: {row.question.text}"
        for block in blocks
        for _, rows in block.sections
        for row in rows
        if row.answer == questionnaires.YES
    ]


def _refusal_list(exc: Refusal) -> list[tuple[str, str]]:
    """Every message of a refusal, each with the part of the page it points at."""
    return [(ERROR_ANCHORS.get(name, "#answers-title"), m) for name, msgs in exc.errors.items() for m in msgs]


# --- Access -------------------------------------------------------------------------------------------


def _assessment(case: Case, assessment_id: int) -> RiskAssessment:
    assessment = (
        case.risk_assessments.filter(pk=assessment_id)
        .select_related("victim", "assessor", "signed_off_by")
        .prefetch_related("forms", "plan_actions")
        .first()
    )
    if assessment is None:
        raise Http404("No such risk assessment.")
    assessment.case = case
    return assessment


# --- Pages --------------------------------------------------------------------------------------------


def _case_risk_page(request: HttpRequest, case: Case, start_form: StartForm, status: int = 200) -> HttpResponse:
    user = request.user
    assessments = list(case.risk_assessments.select_related("victim").order_by("-started_at", "-id"))
    trajectory = selectors.risk_trajectory(case)
    escalation = selectors.latest_escalation(case)
    context = case_context(user, case, "risk") | {
        "assessments": assessments,
        "escalation": escalation,
        "escalation_meaning": selectors.level_meaning(escalation),
        "escalation_changes": selectors.escalation_changes(case),
        "trajectory": trajectory,
        "chart": trajectory_chart(trajectory),
        "start_form": start_form,
    }
    return render(request, "risk/case_risk.html", context, status=status)


@login_required
@require_GET
def case_risk(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
    audit.consulted(case, detail="risk assessments and escalation")
    return _case_risk_page(request, case, _start_form(case))


@login_required
@require_POST
def assessment_start(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    form = _start_form(case, request.POST)
    if form.is_valid():
        party = CaseParty.objects.filter(case=case, person_id=form.cleaned_data["victim"]).select_related("person")
        victim = party.first().person if party.exists() else None
        try:
            if victim is None:
                raise InvalidInput({"victim": "Choose a victim in this case"})
            assessment = services.risk_assessment_start(
                actor=request.user, case=case, victim=victim, kinds=form.cleaned_data["kinds"]
            )
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"Risk assessment started for {victim}. Answers are saved as you go.")
            return redirect("risk:assessment", case_id=case.pk, assessment_id=assessment.pk)
    return _case_risk_page(request, case, form, status=400)


def _assessment_page(
    request: HttpRequest,
    case: Case,
    assessment: RiskAssessment,
    *,
    status: int = 200,
    answer_data=None,
    complete_form: CompleteForm | None = None,
    plan_form: PlanActionForm | None = None,
    refusal: Refusal | None = None,
) -> HttpResponse:
    user = request.user
    blocks = _form_blocks(assessment, answer_data)
    is_draft = assessment.status == AssessmentStatus.DRAFT
    may_edit = policy.may(user, Action.EDIT_CASE, case)
    context = case_context(user, case, "risk") | {
        "assessment": assessment,
        "blocks": blocks,
        "is_draft": is_draft,
        "may_answer": is_draft and may_edit,
        "may_sign_off": (
            assessment.status == AssessmentStatus.COMPLETED
            and policy.may(user, Action.SUPERVISE_CASE, case)
            and assessment.assessor_id != user.pk
        ),
        "plan_actions": list(assessment.plan_actions.all().order_by("due_on", "id")),
        "complete_form": complete_form or CompleteForm(initial={"police_callouts_12m": 0}),
        "plan_form": plan_form or PlanActionForm(),
        "yes_risks": _yes_risks(blocks),
        "marac_rows": [
            {**c, "name": str(c.get("name", "")).replace("_", " ").capitalize()} for c in assessment.marac_criteria
        ],
        "refusals": _refusal_list(refusal) if refusal else [],
        "conflict": isinstance(refusal, EditConflict),
        "version": refusal.extra["current"]["version"] if isinstance(refusal, EditConflict) else assessment.version,
        "children_at_risk": answer_data.get("children_at_risk", "") if answer_data else assessment.children_at_risk,
    }
    return render(request, "risk/assessment.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    user = request.user
    if request.method == "GET":
        case = policy.access_case(user, case_id, Action.VIEW_CASE)
        assessment = _assessment(case, assessment_id)
        audit.consulted(assessment, detail=f"risk assessment of {case.reference}")
        return _assessment_page(request, case, assessment)

    case = policy.access_case(user, case_id, Action.EDIT_CASE)
    assessment = _assessment(case, assessment_id)
    completing = "complete" in request.POST
    form = AnswersForm(request.POST, question_keys=_question_keys(assessment))
    complete_form = CompleteForm(request.POST) if completing else None
    if not form.is_valid() or (complete_form is not None and not complete_form.is_valid()):
        refusal = Refusal({n: [str(e) for e in errs] for n, errs in form.errors.items()}) if form.errors else None
        return _assessment_page(
            request, case, assessment, status=400, answer_data=request.POST, complete_form=complete_form,
            refusal=refusal,
        )  # fmt: skip
    try:
        assessment = services.risk_assessment_answer(
            actor=user,
            assessment=assessment,
            expected_version=form.cleaned_data["version"],
            answers=form.answers(),
            children_at_risk=form.cleaned_data["children_at_risk"],
        )
    except Refusal as exc:
        return _assessment_page(
            request, case, assessment, status=exc.status_code, answer_data=request.POST, refusal=exc
        )
    if "autosave" in request.POST:
        # htmx saves the draft as the officer answers; the page keeps the new version.
        context = {"version": assessment.version, "saved_at": timezone.localtime()}
        return render(request, "risk/_autosave.html", context)
    if not completing:
        messages.success(request, "Answers saved. The assessment stays a draft until you complete it.")
        return redirect("risk:assessment", case_id=case.pk, assessment_id=assessment.pk)
    try:
        assessment = services.risk_assessment_complete(
            actor=user, assessment=assessment, expected_version=assessment.version, **complete_form.service_kwargs()
        )
    except Refusal as exc:
        show_refusal(complete_form, exc)
        fresh = _assessment(case, assessment.pk)
        return _assessment_page(request, case, fresh, status=exc.status_code, complete_form=complete_form, refusal=exc)
    marac = " A MARAC referral is required." if assessment.marac_referral_required else ""
    messages.success(request, f"Assessment completed: {assessment.get_grade_display().lower()} risk.{marac}")
    return redirect("risk:assessment", case_id=case.pk, assessment_id=assessment.pk)


@login_required
@require_POST
def plan_add(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    """Add an action to the plan. Posted from the assessment's one form, so the answers typed so far
    are saved first (nothing typed is lost by adding an action)."""
    user = request.user
    case = policy.access_case(user, case_id, Action.EDIT_CASE)
    assessment = _assessment(case, assessment_id)
    answers = AnswersForm(request.POST, question_keys=_question_keys(assessment))
    form = PlanActionForm(request.POST)
    if answers.is_valid() and (answers.answers() or answers.cleaned_data["children_at_risk"]):
        try:
            assessment = services.risk_assessment_answer(
                actor=user,
                assessment=assessment,
                expected_version=answers.cleaned_data["version"],
                answers=answers.answers(),
                children_at_risk=answers.cleaned_data["children_at_risk"],
            )
        except Refusal as exc:
            return _assessment_page(
                request, case, assessment, status=exc.status_code, answer_data=request.POST, plan_form=form,
                refusal=exc,
            )  # fmt: skip
    if form.is_valid():
        try:
            services.risk_plan_action_add(actor=user, assessment=assessment, **form.service_kwargs())
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "Action added to the risk management plan.")
            return redirect(f"{_assessment_url(case, assessment)}#plan-title")
    refusal = Refusal({n: [str(e) for e in errs] for n, errs in form.errors.items()})
    fresh = _assessment(case, assessment.pk)
    return _assessment_page(request, case, fresh, status=400, plan_form=form, refusal=refusal)


@login_required
@require_POST
def plan_done(request: HttpRequest, case_id: int, assessment_id: int, action_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    assessment = _assessment(case, assessment_id)
    action = assessment.plan_actions.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action.")
    try:
        services.risk_plan_action_done(actor=request.user, action=action)
    except Refusal as exc:
        return _assessment_page(request, case, assessment, status=exc.status_code, refusal=exc)
    messages.success(request, "Plan action marked done.")
    return redirect("risk:assessment", case_id=case.pk, assessment_id=assessment.pk)


@login_required
@require_POST
def sign_off(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
    assessment = _assessment(case, assessment_id)
    try:
        services.risk_assessment_sign_off(actor=request.user, assessment=assessment)
    except Refusal as exc:
        return _assessment_page(request, case, assessment, status=exc.status_code, refusal=exc)
    messages.success(request, "Risk assessment signed off.")
    return redirect("risk:assessment", case_id=case.pk, assessment_id=assessment.pk)


def _assessment_url(case: Case, assessment: RiskAssessment) -> str:
    return reverse("risk:assessment", args=[case.pk, assessment.pk])


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Open cases by latest risk grade or escalation level, optionally one officer's: the lists behind the
    dashboard's risk figures."""
    if not policy.role_may(request.user, Action.VIEW_CASE):
        raise Http404("No such page.")
    grade, level = request.GET.get("grade", ""), request.GET.get("level", "")
    if grade not in {"", selectors.NOT_ASSESSED, *Grade.values} or level not in {"", *EscalationLevel.values}:
        raise Http404("No such list.")
    officer = request.GET.get("officer", "")
    cases = selectors.with_latest_risk(case_list_for_user(request.user, status="open", officer=officer))
    cases = cases.select_related("officer")
    if grade:
        cases = (
            cases.filter(risk_grade__isnull=True) if grade == selectors.NOT_ASSESSED else cases.filter(risk_grade=grade)
        )
    if level == EscalationLevel.NONE:
        cases = cases.filter(Q(escalation_level__isnull=True) | Q(escalation_level=EscalationLevel.NONE))
    elif level:
        cases = cases.filter(escalation_level=level)
    rows = list(cases.order_by("-updated_at", "-id")[:500])
    audit.consulted_many(Case, [c.pk for c in rows], detail="cases by risk")
    title = (
        f"Open cases: {'not assessed' if grade == selectors.NOT_ASSESSED else Grade(grade).label.lower() + ' risk'}"
        if grade
        else f"Open cases: escalation {EscalationLevel(level).label.lower()}"
        if level
        else "Open cases by risk"
    )
    if officer:
        title = title.replace("Open cases", f"Open cases of {rows[0].officer if rows else officer}", 1)
    return render(request, "risk/case_list.html", {"cases": rows, "title": title})
