"""Look-ups of a victim from outside her cases: recorded for her officer in the case, who is alerted
until he has checked them (threat model: an officer can be the stalker or his friend)."""

from django.db import transaction
from django.utils import timezone

from accounts import audit, policy
from accounts.models import User
from accounts.policy import Action
from casework import choices as c
from casework.models import Case, OutsideLookup, Person
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from config.errors import InvalidInput


def cases_beyond(user, person: Person):
    """The cases where the person is a victim that the user may not open."""
    return (
        Case.objects.filter(parties__person=person, parties__role=c.PartyRole.VICTIM)
        .exclude(policy.cases_where(user, Action.VIEW_CASE))
        .distinct()
    )


@transaction.atomic
def outside_lookup_record(*, actor: User, person: Person, how: str, through_case: Case | None = None) -> int:
    """Tell the officer in each of her cases the actor may not open that he came upon her. A reading
    through one case is raised once per reader (the audit log keeps every look); a search or a link
    always is."""
    now = timezone.now()
    rows = []
    for case in cases_beyond(actor, person):
        if (
            how == c.LookupKind.READ
            and OutsideLookup.objects.filter(case=case, by=actor, how=how, through_case=through_case).exists()
        ):
            continue
        rows.append(OutsideLookup(case=case, person=person, how=how, by=actor, through_case=through_case, at=now))
    OutsideLookup.objects.bulk_create(rows)
    for row in rows:
        enqueue_after_commit(alerts_refresh_case, row.case_id)
    return len(rows)


@transaction.atomic
def outside_lookups_check(*, actor: User, case: Case) -> int:
    """Her officer (or a supervisor) has looked into the look-ups: the alert is resolved."""
    if not policy.may(actor, Action.VIEW_SEALED_DETAILS, case):
        raise InvalidInput("Only the officer in the case and the unit's supervisors check look-ups")
    checked = OutsideLookup.objects.filter(case=case, checked_at__isnull=True).update(
        checked_at=timezone.now(), checked_by=actor
    )
    if not checked:
        raise InvalidInput("There are no look-ups waiting to be checked")
    audit.record("alter", obj=case, changes=["outside_lookups"], detail=f"{checked} outside look-ups checked")
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return checked


@transaction.atomic
def person_search_found(*, actor: User, candidates) -> None:
    """A person search showed these people (`selectors.Candidate`s): each showing is audited, and each
    victim is a look-up for the officers of her cases the searcher may not open."""
    for candidate in candidates:
        audit.consulted(candidate.person, detail="found in a person search")
        outside_lookup_record(actor=actor, person=candidate.person, how=c.LookupKind.SEARCH)
