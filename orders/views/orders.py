"""Protection pages: a case's orders, eligibility hints, breach proposals, breaches and the victim being
told; one order with its grounds, conditions and lifecycle; logging a breach; the letter to the victim.
And the protection panel on the case page.

Thin plain-function views: access through `accounts.policy`, every write through `orders.services`
(one transaction each), reads through `orders.selectors`; a refusal comes back onto the form it answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework import choices as cw
from casework.forms import RevealForm, victim_choices
from casework.models import Case
from casework.selectors import case_parties
from casework.services.incidents import incident_summary
from casework.views.refusals import show_refusal
from casework.views.sections import case_context
from config.errors import EditConflict, Refusal
from orders import choices as c
from orders import lifecycle, services, zones
from orders.eligibility import order_hints
from orders.forms.orders import (
    BreachForm,
    ConditionForm,
    ConsiderForm,
    ConsultationForm,
    DetailsForm,
    NoticeForm,
    NotifiedForm,
    RejectForm,
    SubstantiveForm,
    TransitionForm,
)
from orders.models import Condition, ProtectiveOrder, SuspectRoute
from orders.selectors import case_protection_facts, orders_of_case
from orders.views.documents import order_documents_of

PROTECTABLE_ROLES = (cw.PartyRole.VICTIM, cw.PartyRole.CHILD, cw.PartyRole.WITNESS)
# Events that oblige the officer to tell the victim (services open a VictimNotice for each).
TOLD_EVENTS = frozenset({"grant", "serve", "vary", "renew", "discharge"})
FORWARD_ACTIONS = frozenset({"draft", "apply", "grant", "serve"})


# --- Reads for the pages (plain data, no queries in templates) ---------------------------------------


def _labels(choices, values) -> list[str]:
    """The values' labels in the order of the choices, without the "(a) " of a statute's list."""
    chosen = set(values)
    return [str(label).split(") ", 1)[-1].lower() for value, label in choices.choices if value in chosen]


def condition_checks(cond: Condition, *, zone_shown: bool) -> list[str]:
    """What the system tests each new incident for, in plain words; the zone's address only if shown."""
    checks = []
    if cond.channels:
        checks.append("Contact by " + ", ".join(_labels(cw.Channel, cond.channels)))
    if cond.zone_places or cond.zone_address or cond.zone_area:
        where = ", ".join(_labels(cw.Place, cond.zone_places)) or "no place ticked"
        address = cond.zone_address if zone_shown else f"an address {zones.WITHHELD_ZONE}"
        zone = f"within {cond.zone_radius_m} m of {address}" if cond.zone_address else ""
        area = " or ".join(filter(None, [zone, cond.zone_area]))
        how = ", ".join(_labels(cw.Channel, c.PRESENCE_CHANNELS))
        checks.append(f"Being at the {where} ({how})" + (f"; zone: {area}" if area else ""))
    if cond.behaviours:
        checks.append("Behaviour: " + ", ".join(_labels(cw.Behaviour, cond.behaviours)))
    return checks


def _people(case: Case) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The suspects of the case and the people an order may protect, as form choices."""
    parties = case_parties(case)
    suspects = [(p.person_id, str(p.person)) for p in parties if p.role == cw.PartyRole.SUSPECT]
    protectable = [
        (p.person_id, f"{p.person} ({p.get_role_display().lower()})") for p in parties if p.role in PROTECTABLE_ROLES
    ]
    return suspects, protectable


def _order(case: Case, order_id: int) -> ProtectiveOrder:
    conditions = Condition.objects.order_by("id").prefetch_related("protected_people")
    order = (
        case.orders.filter(pk=order_id)
        .select_related("respondent", "follows")
        .prefetch_related("protected_people", Prefetch("conditions", queryset=conditions))
        .first()
    )
    if order is None:
        raise Http404("No such order.")
    order.case = case
    return order


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data when posted (an empty POST too, so it is refused), else None for a blank form."""
    return request.POST if request.method == "POST" else None


def _one(queryset: QuerySet, pk: int, what: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def protection_panel_context(user: User, case: Case) -> dict:
    """The case page's protection panel: orders that bind, possible breaches, undecided substantive
    offences and notices to the victim still to give. Four queries whatever the case holds."""
    today = timezone.localdate()
    notices = case.victim_notices.filter(informed_at__isnull=True).aggregate(
        due=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )
    return {
        "protection_orders": list(
            case.orders.filter(status__in=c.BINDING_STATUSES)
            .order_by("expires_on", "id")
            .only("id", "order_type", "status", "expires_on", "until_further_order", "case_id")
        ),
        "protection_proposals": case.breach_proposals.filter(status=c.ProposalStatus.PROPOSED).count(),
        "protection_undecided": case.breaches.filter(substantive_decision=c.SubstantiveDecision.NOT_YET).count(),
        "protection_notices_due": notices["due"],
        "protection_notices_overdue": notices["overdue"],
    }


# --- The case's protection page -----------------------------------------------------------------------


def _protection_page(
    request: HttpRequest, case: Case, *, failed: tuple | None = None, status: int = 200
) -> HttpResponse:
    """`failed` is (key, form) of a form that came back with errors, ("proposal", id) or ("breach", id);
    it replaces the blank one."""
    suspects, protectable = _people(case)
    proposals = list(
        case.breach_proposals.filter(status=c.ProposalStatus.PROPOSED)
        .select_related("incident__victim", "condition__order", "condition__bail")
        .order_by("incident__occurred_at", "id")
    )
    breaches = list(
        case.breaches.select_related("incident", "order", "bail", "condition").order_by("-incident__occurred_at", "-id")
    )
    context = case_context(request.user, case, "protection") | {
        "hints": order_hints(case_protection_facts(case)),
        "proposals": [
            {
                "proposal": p,
                "summary": incident_summary(p.incident),
                "form": _form(failed, ("proposal", p.pk), RejectForm, prefix=f"proposal-{p.pk}"),
            }
            for p in proposals
        ],
        "orders": orders_of_case(case),
        "breaches": breaches,
        "undecided": [
            {
                "breach": b,
                "form": _form(failed, ("breach", b.pk), SubstantiveForm, prefix=f"breach-{b.pk}"),
            }
            for b in breaches
            if b.substantive_decision == c.SubstantiveDecision.NOT_YET
        ],
        "notices": list(
            case.victim_notices.filter(informed_at__isnull=True)
            .select_related("victim", "order")
            .order_by("due_on", "id")
        ),
        "today": timezone.localdate(),
        "consider_form": ConsiderForm(suspects=suspects, protectable=protectable),
        "failed_form": failed[1] if failed else None,
    }
    return render(request, "orders/case_protection.html", context, status=status)


def _form(failed: tuple | None, key: str | tuple, form_class: type[Form], **kwargs) -> Form:
    """The form that came back with errors under this key, else a blank one."""
    return failed[1] if failed and failed[0] == key else form_class(**kwargs)


@login_required
@require_GET
def case_protection(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
    audit.consulted(case, detail="protective orders, breaches and notices to the victim")
    return _protection_page(request, case)


def _protection_url(case: Case, anchor: str = "") -> str:
    return reverse("orders:case-protection", args=[case.pk]) + (f"#{anchor}" if anchor else "")


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest, case_id: int) -> HttpResponse:
    """Consider an order: its own page (from an eligibility hint, prefilled) and the form on the tab."""
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    suspects, protectable = _people(case)
    initial = {"order_type": request.GET.get("order_type", "")}
    form = ConsiderForm(_posted(request), initial=initial, suspects=suspects, protectable=protectable)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_consider(actor=request.user, case=case, **form.service_kwargs())
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            messages.success(request, f"{order.get_order_type_display()} considered. Add its conditions and grounds.")
            return redirect("orders:order-detail", case_id=case.pk, order_id=order.pk)
    else:
        status = 400 if form.is_bound else 200
    context = case_context(request.user, case, "protection") | {"form": form}
    return render(request, "orders/order_create.html", context, status=status)


@login_required
@require_POST
def breach_substantive(request: HttpRequest, case_id: int, breach_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    breach = _one(case.breaches, breach_id, "breach")
    breach.case = case
    form = SubstantiveForm(request.POST, prefix=f"breach-{breach.pk}")
    if form.is_valid():
        try:
            services.breach_substantive_decide(
                actor=request.user, breach=breach, decision=form.cleaned_data["substantive_decision"],
                note=form.cleaned_data["substantive_note"],
            )  # fmt: skip
        except Refusal as exc:
            show_refusal(form, exc)
            return _protection_page(request, case, failed=(("breach", breach.pk), form), status=exc.status_code)
        messages.success(request, f"Decision recorded: {breach.get_substantive_decision_display()}.")
        return redirect(_protection_url(case, "breaches"))
    return _protection_page(request, case, failed=(("breach", breach.pk), form), status=400)


@login_required
@require_POST
def proposal_confirm(request: HttpRequest, case_id: int, proposal_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    proposal = _one(case.breach_proposals, proposal_id, "proposal")
    proposal.case = case
    try:
        breach = services.breach_proposal_confirm(actor=request.user, proposal=proposal)
    except Refusal as exc:
        # Nothing was typed: the refusal goes to the page's error summary on an empty form.
        form = Form(data={})
        form.is_valid()
        show_refusal(form, exc)
        return _protection_page(request, case, failed=(("confirm", proposal.pk), form), status=exc.status_code)
    messages.success(request, "Recorded as a breach. Now consider the substantive offence.")
    return redirect(_protection_url(case, f"breach-{breach.pk}"))


@login_required
@require_POST
def proposal_reject(request: HttpRequest, case_id: int, proposal_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    proposal = _one(case.breach_proposals, proposal_id, "proposal")
    proposal.case = case
    form = RejectForm(request.POST, prefix=f"proposal-{proposal.pk}")
    if form.is_valid():
        try:
            services.breach_proposal_reject(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["rejection_reason"]
            )
        except Refusal as exc:
            show_refusal(form, exc)
            return _protection_page(request, case, failed=(("proposal", proposal.pk), form), status=exc.status_code)
        messages.success(request, "Recorded as not a breach, with your reason.")
        return redirect(_protection_url(case, "proposals"))
    return _protection_page(request, case, failed=(("proposal", proposal.pk), form), status=400)


# --- One order ----------------------------------------------------------------------------------------


def _order_page(
    request: HttpRequest,
    case: Case,
    order: ProtectiveOrder,
    *,
    failed: tuple | None = None,
    status: int = 200,
    conflict: EditConflict | None = None,
    reveal_form: RevealForm | None = None,
) -> HttpResponse:
    """`failed` is (key, form): "details", "notified", ("transition", action) or ("consultation", id).
    Zone addresses are shown as `zones.zone_sight` allows, after `reveal_form` if it was posted."""
    user = request.user
    conditions = list(order.conditions.all())
    reveal_form = reveal_form or RevealForm()
    reason = reveal_form.cleaned_data["reason"] if reveal_form.is_bound and reveal_form.is_valid() else ""
    sight = zones.zone_sight(user, case, conditions, reveal_reason=reason, where=f", {order}")
    protected = [p.pk for p in order.protected_people.all()]
    near = {cond.pk for cond in conditions if sight.shown and zones.near_protected(cond.zone_address, protected, case)}
    spo = order.order_type in c.SPO_TYPES
    ended = order.status in services.ENDED_ORDER
    today = timezone.localdate()
    actions = [
        a
        for a in lifecycle.allowed_actions(order.status)
        # Only an order past its expiry date can be recorded as expired.
        if a != "expire" or (order.expires_on and order.expires_on < today)
    ]
    initial = {"version": order.version}
    context = case_context(user, case, "protection") | {
        "order": order,
        "spo": spo,
        "ended": ended,
        "today": today,
        "conditions": [
            {
                "condition": cond,
                "checks": condition_checks(cond, zone_shown=sight.shown),
                "zone_withheld": bool(cond.zone_address) and not sight.shown,
                "near_her_address": cond.pk in near,
                "form": _form(failed, ("consultation", cond.pk), ConsultationForm, prefix=f"condition-{cond.pk}"),
            }
            for cond in conditions
        ],
        "zone_may_reveal": sight.may_reveal and any(cond.zone_address for cond in conditions),
        "reveal_form": reveal_form,
        "near_warning": zones.NEAR_WARNING,
        "named_area_advice": zones.NAMED_AREA_ADVICE,
        "details_form": _form(failed, "details", DetailsForm, initial=DetailsForm.initial_for(order), spo=spo),
        "transitions": [
            {
                "action": a,
                "label": lifecycle.ACTION_LABELS[a],
                "form": _form(failed, ("transition", a), TransitionForm, initial=initial, action=a),
                # The failed form is shown open; else the next step forward, if there is one.
                "open": failed[0] == ("transition", a) if failed else n == 0 and a in FORWARD_ACTIONS,
            }
            for n, a in enumerate(actions)
        ],
        "notified_form": _form(failed, "notified", NotifiedForm),
        "notices": list(order.notices.select_related("victim", "informed_by").order_by("due_on", "id")),
        "breaches": list(order.breaches.select_related("incident", "condition").order_by("-incident__occurred_at")),
        "failed_form": failed[1] if failed else None,
        "conflict": conflict,
        "application_documents": order_documents_of(order) if spo else [],
    }
    return render(request, "orders/order_detail.html", context, status=status)


def _order_refused(
    request: HttpRequest, case: Case, order: ProtectiveOrder, key: str | tuple, form: Form, exc: Refusal
) -> HttpResponse:
    """The order page again with the refusal on the form; after an edit conflict, the order as it is
    now and the form based on its current version (what was typed is kept)."""
    show_refusal(form, exc)
    if isinstance(exc, EditConflict):
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(exc.extra["current"]["version"])
        order = _order(case, order.pk)
    return _order_page(
        request, case, order, failed=(key, form), status=exc.status_code,
        conflict=exc if isinstance(exc, EditConflict) else None,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, case_id: int, order_id: int) -> HttpResponse:
    """The order; its POST saves the court, applicant, hearing and grounds, or (with a reason) shows
    the zone addresses to a user who may see them only so."""
    user = request.user
    if request.method == "POST" and "reason" in request.POST:
        case = policy.access_case(user, case_id, Action.VIEW_CASE)
        order = _order(case, order_id)
        reveal_form = RevealForm(request.POST)
        if not reveal_form.is_valid():
            return _order_page(
                request, case, order, reveal_form=reveal_form, failed=("reveal", reveal_form), status=400
            )
        return _order_page(request, case, order, reveal_form=reveal_form)
    if request.method == "GET":
        case = policy.access_case(user, case_id, Action.VIEW_CASE)
        order = _order(case, order_id)
        audit.consulted(order, detail=f"protective order in {case.reference}")
        return _order_page(request, case, order)

    case = policy.access_case(user, case_id, Action.EDIT_CASE)
    order = _order(case, order_id)
    form = DetailsForm(request.POST, spo=order.order_type in c.SPO_TYPES)
    if not form.is_valid():
        return _order_page(request, case, order, failed=("details", form), status=400)
    try:
        services.order_update_details(actor=user, order=order, **form.service_kwargs(order))
    except Refusal as exc:
        return _order_refused(request, case, order, "details", form, exc)
    messages.success(request, "Court, hearing and grounds saved.")
    return redirect("orders:order-detail", case_id=case.pk, order_id=order.pk)


@login_required
@require_POST
def order_transition(request: HttpRequest, case_id: int, order_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    order = _order(case, order_id)
    action = request.POST.get("action", "")
    form = TransitionForm(request.POST, action=action if action in lifecycle.TRANSITIONS else "")
    key = ("transition", action)
    if not form.is_valid():
        return _order_page(request, case, order, failed=(key, form), status=400)
    try:
        order = services.order_transition(actor=request.user, order=order, **form.service_kwargs())
    except Refusal as exc:
        return _order_refused(request, case, order, key, form, exc)
    told = " Tell the victim: the letter is ready under 'Victim notices'." if action in TOLD_EVENTS else ""
    messages.success(request, f"{order.get_order_type_display()}: {order.get_status_display().lower()}.{told}")
    return redirect("orders:order-detail", case_id=case.pk, order_id=order.pk)


@login_required
@require_POST
def order_notified(request: HttpRequest, case_id: int, order_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    order = _order(case, order_id)
    form = NotifiedForm(request.POST)
    if not form.is_valid():
        return _order_page(request, case, order, failed=("notified", form), status=400)
    try:
        services.order_respondent_notified(actor=request.user, order=order, on=form.cleaned_data["on"])
    except Refusal as exc:
        return _order_refused(request, case, order, "notified", form, exc)
    messages.success(request, "Recorded that he notified his name and home address.")
    return redirect("orders:order-detail", case_id=case.pk, order_id=order.pk)


@login_required
@require_POST
def condition_consultation(request: HttpRequest, case_id: int, order_id: int, condition_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    order = _order(case, order_id)
    condition = next((cond for cond in order.conditions.all() if cond.pk == condition_id), None)
    if condition is None:
        raise Http404("No such condition.")
    condition.order = order
    form = ConsultationForm(request.POST, prefix=f"condition-{condition.pk}")
    key = ("consultation", condition.pk)
    if not form.is_valid():
        return _order_page(request, case, order, failed=(key, form), status=400)
    try:
        services.condition_record_consultation(actor=request.user, condition=condition, **form.cleaned_data)
    except Refusal as exc:
        return _order_refused(request, case, order, key, form, exc)
    messages.success(request, "The victim's view of the condition recorded.")
    return redirect(reverse("orders:order-detail", args=[case.pk, order.pk]) + f"#condition-{condition.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def condition_add(request: HttpRequest, case_id: int, order_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    order = _order(case, order_id)
    protectable = [(p.pk, str(p)) for p in order.protected_people.all()]
    form = ConditionForm(_posted(request), protectable=protectable)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            condition = services.condition_add(actor=request.user, order=order, **form.service_kwargs())
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            messages.success(request, f"Condition added: {condition.wording}")
            return redirect(reverse("orders:order-detail", args=[case.pk, order.pk]) + f"#condition-{condition.pk}")
    if request.method == "GET":
        audit.consulted(order, detail="to add a condition")
    context = case_context(request.user, case, "protection") | {"order": order, "form": form}
    return render(request, "orders/condition_add.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def breach_create(request: HttpRequest, case_id: int, order_id: int) -> HttpResponse:
    """Log a breach of the order: a new incident on the course of conduct, linked to the order and the
    condition; then the substantive offence prompt on the protection page."""
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    order = _order(case, order_id)
    return breach_form_page(
        request, case, order=order, conditions=list(order.conditions.all()),
        breached=f"the {order.get_order_type_display()}",
        back=(reverse("orders:order-detail", args=[case.pk, order.pk]), "Back to the order"),
    )  # fmt: skip


def breach_form_page(
    request: HttpRequest,
    case: Case,
    *,
    conditions: list[Condition],
    breached: str,
    back: tuple[str, str],
    order: ProtectiveOrder | None = None,
    bail: SuspectRoute | None = None,
) -> HttpResponse:
    """The breach form, for an order or for bail (orders/views/routes.py)."""
    form = BreachForm(
        _posted(request),
        initial={"condition": request.GET.get("condition")},
        conditions=[(cond.pk, f"{n}. {cond.wording[:150]}") for n, cond in enumerate(conditions, 1)],
        victims=victim_choices(case_parties(case)),
    )
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        condition = next((cond for cond in conditions if cond.pk == form.cleaned_data["condition"]), None)
        try:
            breach = services.breach_record(
                actor=request.user, case=case, incident=form.incident_input(), order=order, bail=bail,
                condition=condition,
            )  # fmt: skip
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                "Breach logged on the timeline. Now consider the substantive offence: is this also further "
                "stalking or harassment?",
            )
            return redirect(_protection_url(case, f"breach-{breach.pk}"))
    if request.method == "GET":
        audit.consulted(order or bail, detail="to log a breach")
    context = case_context(request.user, case, "protection" if order else "routes")
    context |= {"breached": breached, "back_url": back[0], "back_label": back[1], "form": form}
    return render(request, "orders/breach_form.html", context, status=status)


# --- Telling the victim ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponse:
    """The letter or e-mail to the victim, generated from the template and editable, and the record that
    she was told. Reading it is a read of her personal data."""
    user = request.user
    case = policy.access_case(user, case_id, Action.VIEW_CASE if request.method == "GET" else Action.EDIT_CASE)
    notice = _one(
        case.victim_notices.select_related("victim", "order__respondent", "bail__suspect", "informed_by"),
        notice_id,
        "notice",
    )
    notice.case = case
    form = NoticeForm(_posted(request))
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.victim_notice_informed(actor=user, notice=notice, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            messages.success(request, f"Recorded that {notice.victim} was told of the {notice.get_event_display()}.")
            return redirect(_protection_url(case, "notices"))
    letter = notice.letter or services.victim_notice_letter(notice, author=user)
    if request.method == "GET":
        audit.consulted(notice, detail=f"letter to the victim: {notice.get_event_display().lower()}")
        form.initial["letter"] = letter
    context = case_context(user, case, "protection") | {
        "notice": notice,
        "letter": letter,
        "form": form,
        "overdue": notice.informed_at is None and notice.due_on < timezone.localdate(),
    }
    return render(request, "orders/notice_detail.html", context, status=status)
