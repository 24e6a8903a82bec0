"""The prosecutor's side of a handover: the queue of charging requests, the handover page both sides see
(summary, pack, action plan, decision, plea decisions), and the lists behind the dashboard's "Charging
requests" figures.

A CPS lawyer reaches only these pages and the pack: never the case page or its timeline. Access goes
through `protocol.selectors.handover_access` (404 alike for missing and not yours), writes through
the services in protocol/services/cps.py; a refused form comes back on the handover page with its errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework.choices import DocumentStatus, PartyRole
from casework.models import CaseDocument, CaseParty
from casework.redaction import reader_redactor, redacted_copy
from casework.views.refusals import show_refusal
from config.errors import Refusal
from protocol import choices as c
from protocol import selectors
from protocol.forms import ActionAnswerForm, ActionRaiseForm, DecisionForm, PleaForm
from protocol.models import Handover, HandoverPreparation
from protocol.services import cps

PER_PAGE = 100
HANDOVER_TEXT = ("note", "override_reason", "decision_rationale")
ACTION_TEXT = ("request", "answer")
PLEA_TEXT = ("rationale", "approved_by", "victim_view", "police_view")

# --- Reads for the pages (plain data, no queries in templates) ----------------------------------------


def _suspects_by_case(case_ids: list[int]) -> dict[int, list[str]]:
    parties = CaseParty.objects.filter(case_id__in=case_ids, role=PartyRole.SUSPECT).select_related("person")
    found: dict[int, list[str]] = {}
    for party in parties.order_by("added_at", "pk"):
        found.setdefault(party.case_id, []).append(str(party.person))
    return found


def _offences_by_case(case_ids: list[int]) -> dict[int, list[str]]:
    rows = HandoverPreparation.objects.filter(case_id__in=case_ids).values_list("case_id", "offences")
    return {case_id: selectors.offence_labels(offences or []) for case_id, offences in rows}


def _missing_titles(handover: Handover) -> list[str]:
    """The checklist items missing when the request was sent (stored as items or as their keys)."""
    titles = []
    for entry in handover.missing_at_send or []:
        if isinstance(entry, dict):
            titles.append(str(entry.get("title") or entry.get("key") or entry))
        else:
            titles.append(str(entry))
    return titles


def _pack_documents(handover: Handover) -> list[CaseDocument]:
    """The pack sent with the request and any prepared again from it, newest first."""
    documents = list(
        CaseDocument.objects.filter(source_type=Handover._meta.label_lower, source_id=str(handover.pk))
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
    )
    if handover.pack_id and handover.pack_id not in {d.pk for d in documents}:
        documents.insert(0, CaseDocument.objects.select_related("requested_by").get(pk=handover.pack_id))
    return documents


def _as_sent(handover: Handover, documents: list[CaseDocument]) -> dict | None:
    """The newest pack ready to read: when it was made ("as sent" with the request, or prepared again) and
    what the file has gained since, which it does not contain."""
    pack = next((d for d in documents if d.status == DocumentStatus.READY), None)
    if pack is None:
        return None
    return {
        "at": pack.requested_at,
        "sent": pack.pk == handover.pack_id,
        "changes": selectors.changes_since(handover.case, pack.requested_at),
    }


def _handover_page(
    request: HttpRequest,
    handover: Handover,
    *,
    status: int = 200,
    raise_form: ActionRaiseForm | None = None,
    answer: tuple[int, ActionAnswerForm] | None = None,
    decision_form: DecisionForm | None = None,
    plea_form: PleaForm | None = None,
) -> HttpResponse:
    user = request.user
    case = handover.case
    is_the_lawyer = handover.lawyer_id == user.pk
    may_answer = policy.may(user, Action.EDIT_CASE, case)
    # The page shows copies whose free text is withheld as the pack is (a lawyer never reads the victim's
    # address); the services above were given the records themselves.
    redact = reader_redactor(user, case)
    handover = redacted_copy(handover, redact, HANDOVER_TEXT)
    items = [redacted_copy(item, redact, ACTION_TEXT) for item in selectors.actions_of(handover)]
    today = timezone.localdate()
    action_rows = [
        {
            "item": item,
            "overdue": item.answered_at is None and item.due_on < today,
            "form": (
                (answer[1] if answer and answer[0] == item.pk else ActionAnswerForm(prefix=f"answer-{item.pk}"))
                if may_answer and item.answered_at is None
                else None
            ),
        }
        for item in items
    ]
    awaiting = handover.status == c.HandoverStatus.AWAITING_DECISION
    may_raise = is_the_lawyer and handover.status != c.HandoverStatus.WITHDRAWN
    charged = handover.status == c.HandoverStatus.DECIDED and handover.decision == c.Decision.CHARGE
    submitted = [raise_form, answer[1] if answer else None, decision_form, plea_form]
    error_form = next((f for f in submitted if f is not None and f.errors), None)
    pleas = [redacted_copy(plea, redact, PLEA_TEXT) for plea in selectors.pleas_of(handover)]
    documents = _pack_documents(handover)
    as_sent = _as_sent(handover, documents)
    context = {
        "handover": handover,
        "case": case,
        "suspects": _suspects_by_case([case.pk]).get(case.pk, []),
        "offences_proposed": _offences_by_case([case.pk]).get(case.pk, []),
        "offences_charged": selectors.offence_labels(handover.offences_charged or []),
        "missing_at_send": _missing_titles(handover),
        "documents": documents,
        "as_sent": as_sent,
        "action_rows": action_rows,
        "open_actions": sum(1 for item in items if item.answered_at is None),
        "raise_form": (raise_form or ActionRaiseForm(prefix="action")) if may_raise else None,
        "decision_form": (decision_form or DecisionForm(prefix="decision")) if is_the_lawyer and awaiting else None,
        "charged": charged,
        "plea_rows": [
            {"plea": plea, "labels": selectors.offence_labels([plea.offence_charged, plea.offence_pleaded])}
            for plea in pleas
        ],
        "plea_form": (plea_form or _plea_form(handover)) if is_the_lawyer and charged else None,
        "is_the_lawyer": is_the_lawyer,
        "may_prepare_again": may_answer,  # the pack, by those who may request it (casework/documents.py)
        "sees_case": policy.may(user, Action.VIEW_CASE, case),
        "error_form": error_form,
    }
    return render(request, "protocol/handover_detail.html", context, status=status)


def _plea_form(handover: Handover, data=None) -> PleaForm:
    return PleaForm(data, prefix="plea", charged=handover.offences_charged or [])


def _handover_url(handover: Handover, anchor: str = "") -> str:
    return reverse("protocol:handover-detail", args=[handover.pk]) + (f"#{anchor}" if anchor else "")


# --- Pages ------------------------------------------------------------------------------------------


@login_required
@require_GET
def cps_queue(request: HttpRequest) -> HttpResponse:
    """The charging requests the user holds: a lawyer's those sent to them, the police their unit's."""
    if not policy.role_may(request.user, Action.VIEW_HANDOVER):
        raise Http404("No such page.")
    page = Paginator(selectors.handover_queue(request.user), PER_PAGE).get_page(request.GET.get("page"))
    handovers = list(page.object_list)
    case_ids = [h.case_id for h in handovers]
    suspects, offences = _suspects_by_case(case_ids), _offences_by_case(case_ids)
    audit.consulted_many(Handover, [h.pk for h in handovers], detail="charging requests queue")
    rows = [
        {"handover": h, "suspects": suspects.get(h.case_id, []), "offences": offences.get(h.case_id, [])}
        for h in handovers
    ]
    return render(
        request,
        "protocol/cps_queue.html",
        {"page": page, "rows": rows, "total": page.paginator.count, "page_query": ""},
    )


@login_required
@require_GET
def handover_detail(request: HttpRequest, handover_id: int) -> HttpResponse:
    handover = selectors.handover_access(request.user, handover_id)
    audit.consulted(handover, detail=f"charging request {handover.pk} of {handover.case.reference}")
    return _handover_page(request, handover)


@login_required
@require_POST
def handover_action_raise(request: HttpRequest, handover_id: int) -> HttpResponse:
    handover = selectors.handover_access(request.user, handover_id)
    form = ActionRaiseForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            cps.action_raise(actor=request.user, handover=handover, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return _handover_page(request, handover, status=exc.status_code, raise_form=form)
        messages.success(request, "Action raised. The officer in the case is asked to answer it by the date due.")
        return redirect(_handover_url(handover, "actions-title"))
    return _handover_page(request, handover, status=400, raise_form=form)


@login_required
@require_POST
def cps_action_answer(request: HttpRequest, action_id: int) -> HttpResponse:
    item = selectors.action_access(request.user, action_id)
    form = ActionAnswerForm(request.POST, prefix=f"answer-{item.pk}")
    if form.is_valid():
        try:
            cps.action_answer(actor=request.user, item=item, answer=form.cleaned_data["answer"])
        except Refusal as exc:
            show_refusal(form, exc)
            return _handover_page(request, item.handover, status=exc.status_code, answer=(item.pk, form))
        messages.success(request, "Answer sent to the prosecutor.")
        return redirect(_handover_url(item.handover, "actions-title"))
    return _handover_page(request, item.handover, status=400, answer=(item.pk, form))


@login_required
@require_POST
def handover_decision(request: HttpRequest, handover_id: int) -> HttpResponse:
    handover = selectors.handover_access(request.user, handover_id)
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        data = form.cleaned_data
        try:
            handover = cps.handover_decide(
                actor=request.user,
                handover=handover,
                decision=data["decision"],
                code_test=data["code_test"],
                offences_charged=data["offences_charged"],
                rationale=data["rationale"],
            )
        except Refusal as exc:
            show_refusal(form, exc)
            return _handover_page(request, handover, status=exc.status_code, decision_form=form)
        messages.success(request, f"Charging decision recorded: {handover.get_decision_display()}.")
        return redirect(_handover_url(handover))
    return _handover_page(request, handover, status=400, decision_form=form)


@login_required
@require_POST
def handover_plea(request: HttpRequest, handover_id: int) -> HttpResponse:
    handover = selectors.handover_access(request.user, handover_id)
    form = _plea_form(handover, request.POST)
    if form.is_valid():
        try:
            plea = cps.plea_decide(actor=request.user, handover=handover, **form.service_kwargs())
        except Refusal as exc:
            show_refusal(form, exc)
            return _handover_page(request, handover, status=exc.status_code, plea_form=form)
        messages.success(request, f"Plea decision recorded: plea {'accepted' if plea.accepted else 'rejected'}.")
        return redirect(_handover_url(handover, "pleas-title"))
    return _handover_page(request, handover, status=400, plea_form=form)
