"""The advocate's writes (journey 5): her referred victim's safety plan, and an incident the victim told
her about, passed on for the officer to review.

Only an advocate who holds the victim-safe view of the case (accounts.policy, Scope.REFERRED) may act,
and only for a victim referred to her organisation. A safety plan item is not on the timeline (it is the
advocate's work with her, not the course of conduct); a passed-on incident is not on the course of
conduct either until the officer accepts it (casework.services.passed_on)."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from casework.choices import Channel
from casework.models import Case, PassedOnIncident, SafetyPlanItem
from casework.redaction import sealed_text_errors
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from config import input_contract
from config.errors import InvalidInput, TransitionNotAllowed

RISK_MAX = SafetyPlanItem._meta.get_field("risk").max_length
OWNER_MAX = SafetyPlanItem._meta.get_field("owner").max_length


def _check_is_her_advocate(actor: User, case: Case, victim_id: int | None, doing: str) -> None:
    """The advocate of an organisation this victim was referred to, with her consent, while it lasts."""
    if not policy.may(actor, policy.Action.VIEW_VICTIM_SAFE, case):
        raise InvalidInput(f"Only an advocate this victim was referred to may {doing}")
    if victim_id is None or victim_id not in policy.referred_victim_ids(actor, case):
        raise InvalidInput({"victim_id": "Choose a victim referred to your organisation"})


@transaction.atomic
def safety_plan_item_add(
    *,
    actor: User,
    case: Case,
    victim_id: int | None,
    risk: str,
    measure: str,
    owner: str = "",
    review_on: date | None = None,
) -> SafetyPlanItem:
    """A measure agreed with her against a risk: who does it and when it is reviewed."""
    _check_is_her_advocate(actor, case, victim_id, "add to her safety plan")
    risk, measure, owner = risk.strip(), measure.strip(), owner.strip()
    errors = {}
    if not risk:
        errors["risk"] = "Say what the measure protects her from"
    elif len(risk) > RISK_MAX:
        errors["risk"] = f"Describe the risk in {RISK_MAX} characters or fewer"
    if not measure:
        errors["measure"] = "Say what will be done"
    if len(owner) > OWNER_MAX:
        errors["owner"] = f"Name who does it in {OWNER_MAX} characters or fewer"
    if review_on is not None and review_on < timezone.localdate():
        errors["review_on"] = "The review date must be today or later"
    errors = sealed_text_errors(case, {"risk": risk, "measure": measure, "owner": owner}) | errors
    if errors:
        raise InvalidInput(errors)
    return SafetyPlanItem.objects.create(
        case=case,
        victim_id=victim_id,
        risk=risk,
        measure=measure,
        owner=owner,
        review_on=review_on,
        created_by=actor,
    )


@transaction.atomic
def safety_plan_item_done(*, actor: User, item: SafetyPlanItem, done_on: date | None = None) -> SafetyPlanItem:
    """Mark a measure done (once), today unless a past date is given."""
    case = item.case
    _check_is_her_advocate(actor, case, item.victim_id, "update her safety plan")
    item = SafetyPlanItem.objects.select_for_update().get(pk=item.pk)
    item.case = case
    if item.done_on is not None:
        raise TransitionNotAllowed(f"This measure was already marked done on {item.done_on:%-d %b %Y}")
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise InvalidInput({"done_on": "The date must not be in the future"})
    if done_on < timezone.localdate(item.created_at):
        raise InvalidInput({"done_on": "The date must not be before the measure was added"})
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    return item


@transaction.atomic
def passed_on_record(
    *,
    actor: User,
    case: Case,
    victim_id: int | None,
    occurred_at: datetime | None,
    channel: str,
    count: int | None,
    account: str,
) -> PassedOnIncident:
    """What she told her advocate happened, for the officer to accept onto the course of conduct or
    decline with a reason. Not on the timeline until accepted; the officer is alerted if it waits."""
    _check_is_her_advocate(actor, case, victim_id, "pass on an incident")
    account = account.strip()
    errors = {}
    if occurred_at is None:
        errors["occurred_at"] = "Enter when it happened"
    elif message := input_contract.date_error(occurred_at):
        errors["occurred_at"] = message
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "When it happened must not be in the future"
    if channel not in Channel.values:
        errors["channel"] = "Choose how he made contact"
    if count is None or isinstance(count, bool) or not isinstance(count, int) or count < 1:
        errors["count"] = "Enter how many times, 1 or more"
    elif count > input_contract.INT_MAX:
        errors["count"] = input_contract.integer_error(count, minimum=1)
    if not account:
        errors["account"] = "Record what she said happened"
    elif message := input_contract.text_error(account):
        errors["account"] = message
    errors = sealed_text_errors(case, {"account": account}) | errors
    if errors:
        raise InvalidInput(errors)
    item = PassedOnIncident.objects.create(
        case=case,
        victim_id=victim_id,
        occurred_at=occurred_at,
        channel=channel,
        count=count,
        account=account,
        passed_on_by=actor,
    )
    enqueue_after_commit(alerts_refresh_case, case.pk)
    return item
