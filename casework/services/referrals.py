"""Referring the victim to support or specialist services (advocates, IDVA, MARAC), or recording that
she declined: either answers the alert that she has not been referred. A referral to an organisation on
this system, with her consent to share, lets its advocates see her victim-safe view until it is ended
(accounts.policy, Scope.REFERRED)."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import SupportOrganisation, User
from casework.choices import PartyRole, ReferralOutcome, SupportService, TimelineKind
from casework.models import Case, CaseParty, SupportReferral
from casework.redaction import sealed_text_errors
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import InvalidInput, TransitionNotAllowed

# The reason for ending is kept on the timeline event, whose summary holds 300 characters.
END_REASON_MAX = 200


def _occurred_at(day: date) -> datetime:
    # Today's event at the moment it is recorded; an earlier one at the start of its day.
    if day == timezone.localdate():
        return timezone.now()
    return datetime.combine(day, time.min, timezone.get_current_timezone())


@transaction.atomic
def support_referral_record(
    *,
    actor: User,
    case: Case,
    victim_id: int,
    service: str,
    outcome: str,
    referred_on: date,
    note: str = "",
    organisation_id: int | None = None,
    consent_to_share: bool | None = None,
) -> SupportReferral:
    """Record a referral (or her declining one). With an organisation, her answer to sharing her
    details with it is required; a declined referral names no organisation."""
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
    organisation = None
    if organisation_id is not None:
        organisation = SupportOrganisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            errors["organisation_id"] = "Choose an organisation from the list"
        elif outcome == ReferralOutcome.DECLINED:
            errors["organisation_id"] = "A referral she declined is not sent to an organisation: leave it blank"
        elif consent_to_share is None:
            errors["consent_to_share"] = "Say whether she agrees to her details being shared with this service"
        elif (
            party is not None
            and SupportReferral.objects.filter(
                case=case,
                victim_id=victim_id,
                organisation=organisation,
                outcome=ReferralOutcome.REFERRED,
                ended_on__isnull=True,
            ).exists()
        ):
            errors["organisation_id"] = f"She is already referred to {organisation}; end that referral first"
    errors = sealed_text_errors(case, {"note": note}) | errors
    if errors:
        raise InvalidInput(errors)
    referral = SupportReferral.objects.create(
        case=case,
        victim=party.person,
        service=service,
        outcome=outcome,
        referred_on=referred_on,
        note=note.strip(),
        organisation=organisation,
        consent_to_share=bool(consent_to_share) if organisation is not None else False,
        recorded_by=actor,
    )
    service_label = referral.get_service_display()
    if outcome == ReferralOutcome.REFERRED:
        summary = f"Referred to {service_label}"
        if organisation is not None:
            sharing = "she agreed to share her details" if referral.consent_to_share else "no consent to share"
            summary += f" ({organisation}; {sharing})"
    else:
        summary = f"Declined referral to {service_label}"
    timeline_record(
        case=case,
        kind=TimelineKind.CONTACT,
        occurred_at=_occurred_at(referred_on),
        summary=summary,
        source=referral,
        person=party.person,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return referral


def may_end_referral(actor: User, referral: SupportReferral, case: Case) -> bool:
    """The police who may change the case, or an advocate of the organisation she was referred to (while
    her view is open to that organisation)."""
    if policy.may(actor, policy.Action.EDIT_CASE, case):
        return True
    return (
        referral.organisation_id is not None
        and referral.organisation_id == getattr(actor, "organisation_id", None)
        and referral.victim_id in policy.referred_victim_ids(actor, case)
    )


@transaction.atomic
def support_referral_end(*, actor: User, referral: SupportReferral, ended_on: date, reason: str) -> SupportReferral:
    """The service stopped working with her: from now on its advocates no longer see her victim-safe view."""
    case = Case.objects.select_related("unit__force").get(pk=referral.case_id)
    if not may_end_referral(actor, referral, case):
        raise InvalidInput("You may not end this referral")
    current = SupportReferral.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=referral.pk)
    if current.outcome != ReferralOutcome.REFERRED:
        raise TransitionNotAllowed("She declined this referral: there is nothing to end")
    if current.ended_on is not None:
        raise TransitionNotAllowed(f"This referral already ended on {current.ended_on:%d %b %Y}")
    errors = {}
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Say why the referral ends"
    elif len(reason) > END_REASON_MAX:
        errors["reason"] = f"Keep the reason to {END_REASON_MAX} characters"
    if ended_on > timezone.localdate():
        errors["ended_on"] = "The date must not be in the future"
    elif ended_on < current.referred_on:
        errors["ended_on"] = f"The date must not be before she was referred ({current.referred_on:%d %b %Y})"
    if errors:
        raise InvalidInput(errors)
    current.ended_on = ended_on
    current.save(update_fields=["ended_on"])
    where = f" ({current.organisation})" if current.organisation_id else ""
    timeline_record(
        case=case,
        kind=TimelineKind.CONTACT,
        occurred_at=_occurred_at(ended_on),
        summary=f"Referral to {current.get_service_display()}{where} ended: {reason}",
        source=current,
        person=current.victim,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return current
