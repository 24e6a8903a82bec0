"""The advocate's pages (journey 5): her referred victims, and the victim-safe view of one case with its
forms (a safety plan measure, marking one done, passing on an incident the victim told her about).

These pages are for users whose role holds VIEW_VICTIM_SAFE (advocates) and answer 404 to everyone
else: the police use their own case pages. What the page shows is casework/victim_view.py, and only
that; writes go through casework/services/care.py; a refused form comes back on the page with its
errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework import victim_view
from casework.forms.care import PassedOnForm, SafetyPlanDoneForm, SafetyPlanItemForm
from casework.models import Case, Person
from casework.services import care
from casework.views.refusals import show_refusal
from config.errors import Refusal


def _access(user, case_id: int) -> Case:
    return policy.access_case(
        user, case_id, Action.VIEW_VICTIM_SAFE, queryset=Case.objects.select_related("unit", "officer")
    )


def _victim_choices(user, case: Case) -> list[tuple[int, str]]:
    """The victims referred to the user's organisation: the only ones a form may name."""
    people = Person.objects.filter(pk__in=policy.referred_victim_ids(user, case)).order_by("last_name", "first_name")
    return [(person.pk, str(person)) for person in people]


def _care_url(case_id: int, anchor: str = "") -> str:
    return reverse("casework:care-case", args=[case_id]) + (f"#{anchor}" if anchor else "")


def _care_page(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    plan_form: SafetyPlanItemForm | None = None,
    passed_form: PassedOnForm | None = None,
    done: tuple[int, SafetyPlanDoneForm] | None = None,
) -> HttpResponse:
    view = victim_view.victim_safe_view(request.user, case)
    victim_view.record_consultation(case, view, via="page")
    victims = [(v.person_id, v.name) for v in view.victims]
    error_form = next(
        (f for f in [plan_form, passed_form, done[1] if done else None] if f is not None and f.errors), None
    )
    context = {
        "view": view,
        "plan_form": plan_form or SafetyPlanItemForm(victims=victims),
        "passed_form": passed_form or PassedOnForm(victims=victims),
        "done_failed": done,
        "error_form": error_form,
    }
    return render(request, "casework/care_case.html", context, status=status)


@login_required
@require_GET
def care_list(request: HttpRequest) -> HttpResponse:
    """The victims referred to the advocate's organisation, one row per case and victim."""
    if not policy.role_may(request.user, Action.VIEW_VICTIM_SAFE):
        raise Http404("No such page.")
    rows = victim_view.referred_victims(request.user)
    audit.consulted_many(Person, sorted({row.victim_id for row in rows}), detail="referred victims")
    return render(request, "casework/care_list.html", {"rows": rows})


@login_required
@require_GET
def care_case(request: HttpRequest, case_id: int) -> HttpResponse:
    return _care_page(request, _access(request.user, case_id))


@login_required
@require_POST
def care_safety_plan_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _access(request.user, case_id)
    victims = _victim_choices(request.user, case)
    form = SafetyPlanItemForm(request.POST, victims=victims)
    if form.is_valid():
        try:
            care.safety_plan_item_add(actor=request.user, case=case, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _care_page(request, case, status=exc.status_code, plan_form=form)
        messages.success(request, "Measure added to her safety plan.")
        return redirect(_care_url(case.pk, "safety-plan"))
    return _care_page(request, case, status=400, plan_form=form)


@login_required
@require_POST
def care_safety_plan_done(request: HttpRequest, item_id: int) -> HttpResponse:
    item = victim_view.safety_plan_item_access(request.user, item_id)
    form = SafetyPlanDoneForm(request.POST, prefix=f"done-{item.pk}")
    if form.is_valid():
        try:
            care.safety_plan_item_done(actor=request.user, item=item, done_on=form.cleaned_data["done_on"])
        except Refusal as exc:
            show_refusal(form, exc)
            return _care_page(request, item.case, status=exc.status_code, done=(item.pk, form))
        messages.success(request, "Measure marked done.")
        return redirect(_care_url(item.case_id, "safety-plan"))
    return _care_page(request, item.case, status=400, done=(item.pk, form))


@login_required
@require_POST
def care_passed_on(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _access(request.user, case_id)
    victims = _victim_choices(request.user, case)
    form = PassedOnForm(request.POST, victims=victims)
    if form.is_valid():
        try:
            care.passed_on_record(actor=request.user, case=case, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _care_page(request, case, status=exc.status_code, passed_form=form)
        messages.success(request, "Passed on to the officer in the case, who will review it.")
        return redirect(_care_url(case.pk, "passed-on"))
    return _care_page(request, case, status=400, passed_form=form)
