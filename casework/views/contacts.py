"""Victim contact pages: contacts with the next update due, Victims' Code entitlements, new contact,
referrals to support and specialist services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit, policy
from accounts.policy import Action
from casework import selectors
from casework.choices import ReferralOutcome
from casework.forms import ContactForm, EntitlementForm, victim_choices
from casework.forms.referrals import ReferralEndForm, ReferralForm
from casework.models import SupportReferral
from casework.services import contacts as contact_services
from casework.services import people as people_services
from casework.services import referrals as referral_services
from casework.views.refusals import show_refusal
from casework.views.sections import case_context
from config.errors import Refusal


def _contacts_page(
    request: HttpRequest,
    case,
    failed: tuple[int, EntitlementForm] | None = None,
    referral_form: ReferralForm | None = None,
    end_failed: tuple[int, ReferralEndForm] | None = None,
) -> dict:
    victims = selectors.victims_of(case)
    entitlement_forms = []
    for party in victims:
        if failed and failed[0] == party.person_id:
            form = failed[1]
        else:
            form = EntitlementForm(initial=EntitlementForm.initial_for(party), prefix=f"victim-{party.person_id}")
        entitlement_forms.append({"party": party, "form": form})
    contacts = list(case.victim_contacts.select_related("victim", "contacted_by").order_by("-contacted_at", "-id"))
    latest = {}
    for contact in contacts:
        latest.setdefault(contact.victim_id, contact)
    referrals = list(
        case.support_referrals.select_related("victim", "recorded_by", "organisation").order_by("-referred_on", "-id")
    )
    referred = {r.victim_id for r in referrals}
    # A referral still running can be ended (the organisation's access ends with it). A refusal to end
    # one no longer running (ended meanwhile) is shown above the list, its form being gone.
    end_refused = end_failed[1] if end_failed else None
    for referral in referrals:
        referral.end_form = None
        if referral.outcome == ReferralOutcome.REFERRED and referral.ended_on is None:
            if end_failed and end_failed[0] == referral.pk:
                referral.end_form, end_refused = end_failed[1], None
            else:
                referral.end_form = ReferralEndForm(prefix=f"end-{referral.pk}")
    today = timezone.localdate()
    return case_context(request.user, case, "contacts") | {
        "contacts": contacts,
        "victims": [
            {
                "party": party,
                "latest": latest.get(party.person_id),
                "overdue": bool(
                    latest.get(party.person_id)
                    and latest[party.person_id].next_update_due
                    and latest[party.person_id].next_update_due < today
                ),
            }
            for party in victims
        ],
        "entitlement_forms": entitlement_forms,
        "referrals": referrals,
        "end_refused": end_refused,
        "not_referred": [party.person for party in victims if party.person_id not in referred],
        "referral_form": referral_form or ReferralForm(victims=victim_choices(victims)),
    }


@login_required
@require_GET
def contact_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id)
    context = _contacts_page(request, case)
    audit.consulted(case, detail="victim contacts")
    return render(request, "casework/contact_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    context = case_context(request.user, case, "contacts")
    form = ContactForm(request.POST or None, victims=victim_choices(selectors.case_parties(case)))
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_services.victim_contact_record(actor=request.user, case=case, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            return render(request, "casework/contact_form.html", context | {"form": form}, status=exc.status_code)
        messages.success(request, f"Contact recorded. Next update due {contact.next_update_due:%d %b %Y}.")
        return redirect("casework:contact-list", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "casework/contact_form.html", context | {"form": form}, status=status)


@login_required
@require_POST
def victim_entitlement(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    party = next((p for p in selectors.victims_of(case) if p.person_id == person_id), None)
    if party is None:
        raise Http404("No such victim in this case.")
    party.case = case
    form = EntitlementForm(request.POST, prefix=f"victim-{person_id}")
    if form.is_valid():
        try:
            people_services.victim_entitlement_set(
                actor=request.user,
                party=party,
                enhanced=form.cleaned_data["enhanced"],
                update_every_working_days=form.cleaned_data["update_every_working_days"],
            )
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"Victims' Code entitlement of {party.person} saved.")
            return redirect("casework:contact-list", case_id=case.pk)
    context = _contacts_page(request, case, failed=(person_id, form))
    return render(request, "casework/contact_list.html", context | {"form": form}, status=400)


@login_required
@require_POST
def referral_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    form = ReferralForm(request.POST, victims=victim_choices(selectors.victims_of(case)))
    status = 400
    if form.is_valid():
        try:
            referral = referral_services.support_referral_record(actor=request.user, case=case, **form.cleaned_data)
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            what = "Referral" if referral.outcome == ReferralOutcome.REFERRED else "Declined referral"
            messages.success(request, f"{what} to {referral.get_service_display()} recorded for {referral.victim}.")
            return redirect(f"{reverse('casework:contact-list', args=[case.pk])}#referrals")
    context = _contacts_page(request, case, referral_form=form)
    return render(request, "casework/contact_list.html", context | {"form": form}, status=status)


@login_required
@require_POST
def referral_end(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
    referral = SupportReferral.objects.filter(case=case, pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral.")
    form = ReferralEndForm(request.POST, prefix=f"end-{referral.pk}")
    status = 400
    if form.is_valid():
        try:
            referral = referral_services.support_referral_end(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except Refusal as exc:
            show_refusal(form, exc)
            status = exc.status_code
        else:
            messages.success(request, f"Referral of {referral.victim} to {referral.get_service_display()} ended.")
            return redirect(f"{reverse('casework:contact-list', args=[case.pk])}#referrals")
    context = _contacts_page(request, case, end_failed=(referral.pk, form))
    return render(request, "casework/contact_list.html", context | {"form": form}, status=status)
