"""Referring the victim to support or specialist services (advocates, IDVA, MARAC), or recording that
she declined: either answers the alert that she has not been referred."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import PartyRole, ReferralOutcome, SupportService, TimelineKind
from casework.models import Case, CaseParty, SupportReferral
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import InvalidInput


@transaction.atomic
def support_referral_record(
    *, actor: User, case: Case, victim_id: int, service: str, outcome: str, referred_on: date, note: str = ""
) -> SupportReferral:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not add to this case")
    errors = {}
    party = (
        CaseParty.objects.filter(case=case, person_id=victim_id, role=PartyRole.VICTIM).select_related("person").first()
    )
    if party is None:
        errors["victim_id"] = "Choose a victim in this case"
    if service not in SupportService.values:
        errors["service"] = "Choose the service"
    if outcome not in ReferralOutcome.values:
        errors["outcome"] = "Say whether she was referred or declined"
    if referred_on > timezone.localdate():
        errors["referred_on"] = "The date must not be in the future"
    if outcome == ReferralOutcome.DECLINED and not note.strip():
        errors["note"] = "Record what she was offered and why she declined"
    if errors:
        raise InvalidInput(errors)
    referral = SupportReferral.objects.create(
        case=case,
        victim=party.person,
        service=service,
        outcome=outcome,
        referred_on=referred_on,
        note=note.strip(),
        recorded_by=actor,
    )
    service_label = referral.get_service_display()
    summary = (
        f"Referred to {service_label}"
        if outcome == ReferralOutcome.REFERRED
        else f"Declined referral to {service_label}"
    )
    timeline_record(
        case=case,
        kind=TimelineKind.CONTACT,
        # Today's referral at the moment it is recorded; an earlier one at the start of its day.
        occurred_at=timezone.now()
        if referred_on == timezone.localdate()
        else datetime.combine(referred_on, time.min, timezone.get_current_timezone()),
        summary=summary,
        source=referral,
        person=party.person,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return referral
