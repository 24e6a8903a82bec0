"""People pages: adding someone to a case (search first, then link or create) and a person's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import audit, policy
from accounts.policy import Action
from casework import choices as c
from casework import selectors
from casework.forms import IdentifierForm, PartyForm, RevealForm
from casework.models import CaseParty, Person
from casework.services import lookups as lookups_services
from casework.services import people as people_services
from casework.views.refusals import render_refusal
from casework.views.sections import case_context
from config.errors import InvalidInput, Refusal


def _candidates(user, form: PartyForm) -> list[selectors.Candidate]:
    data = form.cleaned_data
    return selectors.person_candidates(
        user,
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"],
        identifiers=[(i.kind, i.value) for i in form.identifiers()],
    )


def _add(request: HttpRequest, case, form: PartyForm) -> CaseParty:
    """Link the chosen person, or create the new one and link them, all or nothing."""
    data = form.cleaned_data
    link = request.POST.get("link_person", "")
    with transaction.atomic():
        if link:
            person = Person.objects.filter(pk=int(link) if link.isdigit() else 0).first()
            if person is None:
                raise InvalidInput("The person you chose no longer exists. Search again.")
        else:
            person = people_services.person_create(actor=request.user, case=case, **form.person_kwargs())
        return people_services.party_add(
            actor=request.user,
            case=case,
            person=person,
            role=data["role"],
            relationship_to_suspect=data["relationship_to_suspect"],
        )


@login_required
@require_http_methods(["GET", "POST"])
def party_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """Step 1: describe the person and search. Step 2: link a candidate, or create a new person."""
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    context = case_context(request.user, case, "overview") | {"searched": False, "candidates": []}
    form = PartyForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(
            request, "casework/party_form.html", context | {"form": form}, status=400 if form.is_bound else 200
        )
    action = request.POST.get("action", "search")
    if action == "search" and not request.POST.get("link_person"):
        if not form.has_something_to_search():
            form.add_error("last_name", "Enter a name, or a phone number, e-mail, handle or vehicle to search for")
            return render(request, "casework/party_form.html", context | {"form": form}, status=400)
        candidates = _candidates(request.user, form)
        in_case = set(case.parties.values_list("person_id", flat=True))
        lookups_services.person_search_found(actor=request.user, candidates=candidates)
        context |= {
            "searched": True,
            "candidates": [{"candidate": cand, "in_case": cand.person.pk in in_case} for cand in candidates],
        }
        return render(request, "casework/party_form.html", context | {"form": form})
    try:
        party = _add(request, case, form)
    except Refusal as exc:
        return render_refusal(request, "casework/party_form.html", context, form, exc)
    messages.success(request, f"{party.person} added as {party.get_role_display().lower()}.")
    return redirect("casework:case-detail", case_id=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person as seen from one case the user may view; sealed details only with a stated reason."""
    case_id = request.GET.get("case", "")
    if not case_id.isdigit():
        raise Http404("No such person.")
    case = policy.access_case(request.user, int(case_id))
    party = CaseParty.objects.filter(case=case, person_id=person_id).select_related("person").first()
    if party is None:
        raise Http404("No such person.")
    person = party.person
    reveal_form = RevealForm(request.POST or None)
    reason = reveal_form.cleaned_data["reason"] if request.method == "POST" and reveal_form.is_valid() else ""
    details = selectors.person_contact_details(request.user, person, case, reveal_reason=reason)
    if request.method == "GET":
        audit.consulted(person, detail=f"seen in {case.reference}")
        lookups_services.outside_lookup_record(
            actor=request.user, person=person, how=c.LookupKind.READ, through_case=case
        )
    withheld = any(not d.shown for d in details)
    return render(
        request,
        "casework/person_detail.html",
        case_context(request.user, case, "overview")
        | {
            "party": party,
            "person": person,
            "aliases": list(person.aliases.order_by("name")),
            "vulnerabilities": [dict(c.Vulnerability.choices).get(v, v) for v in person.vulnerabilities],
            "details": details,
            "withheld": withheld,
            "may_reveal": withheld and policy.may(request.user, Action.REVEAL_SEALED_DETAILS, case),
            "reveal_form": reveal_form,
            "other_cases": selectors.person_other_cases(request.user, person, exclude_case=case),
        },
        status=400 if reveal_form.is_bound and not reveal_form.is_valid() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def identifier_add(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    """A contact detail the person gave this case (her new address, sealed, after she was linked)."""
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    party = CaseParty.objects.filter(case=case, person_id=person_id).select_related("person").first()
    if party is None:
        raise Http404("No such person.")
    context = case_context(request.user, case, "overview") | {"person": party.person}
    form = IdentifierForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(
            request, "casework/identifier_form.html", context | {"form": form}, status=400 if form.is_bound else 200
        )
    try:
        people_services.person_identifier_add(
            actor=request.user, case=case, person=party.person, identifier=form.identifier()
        )
    except Refusal as exc:
        return render_refusal(request, "casework/identifier_form.html", context, form, exc)
    messages.success(request, f"Contact detail added for {party.person}.")
    return redirect(f"{reverse('casework:person-detail', args=[party.person_id])}?case={case.pk}")
