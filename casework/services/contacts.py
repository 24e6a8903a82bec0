"""Contact with the victim, and when the next update is due under the Victims' Code."""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import ContactMethod, PartyRole, TimelineKind
from casework.models import Case, CaseParty, VictimContact
from casework.redaction import sealed_text_errors
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from casework.working_days import add_working_days
from config.errors import InvalidInput


def next_update_due(party: CaseParty, contacted_on: date) -> date:
    """The agreed frequency, else the Code's default (1 working day enhanced, 5 otherwise; configurable)."""
    days = party.update_every_working_days or (
        settings.VICTIMS_CODE_ENHANCED_DAYS if party.victims_code_enhanced else settings.VICTIMS_CODE_STANDARD_DAYS
    )
    return add_working_days(contacted_on, days)


@transaction.atomic
def victim_contact_record(
    *, actor: User, case: Case, victim_id: int, contacted_at: datetime, method: str, summary: str
) -> VictimContact:
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not add to this case")
    errors = {}
    party = CaseParty.objects.filter(case=case, person_id=victim_id, role=PartyRole.VICTIM).first()
    if party is None:
        errors["victim_id"] = "Choose a victim in this case"
    if contacted_at > timezone.now():
        errors["contacted_at"] = "The contact must not be in the future"
    if method not in ContactMethod.values:
        errors["method"] = f"Unknown contact method {method!r}"
    if not summary.strip():
        errors["summary"] = "Record what was said or agreed"
    errors = sealed_text_errors(case, {"summary": summary}) | errors
    if errors:
        raise InvalidInput(errors)
    contact = VictimContact.objects.create(
        case=case,
        victim_id=victim_id,
        contacted_at=contacted_at,
        method=method,
        summary=summary.strip(),
        next_update_due=next_update_due(party, timezone.localtime(contacted_at).date()),
        contacted_by=actor,
    )
    timeline_record(
        case=case,
        kind=TimelineKind.CONTACT,
        occurred_at=contacted_at,
        summary=f"Victim updated by {contact.get_method_display().lower()} ({actor}); next update due "
        f"{contact.next_update_due:%d %b %Y}",
        source=contact,
        person=party.person,
        actor=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return contact
