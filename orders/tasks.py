import logging

from celery import shared_task
from django.db.models import Q

from casework.choices import CaseStage
from orders import choices as c
from orders.models import Condition
from orders.services import breach_proposals_refresh

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def breach_proposals_sweep() -> None:
    """Test the incidents of every open case with a condition against its conditions (beat). Proposals
    are normally made on commit of each change; this catches changes made while the broker was down."""
    case_ids = (
        Condition.objects.filter(
            # Ended orders and bail too: an incident can be logged long after it happened.
            Q(order__status__in=[*c.BINDING_STATUSES, c.OrderStatus.DISCHARGED, c.OrderStatus.EXPIRED])
            | Q(bail__route__in=c.BAIL_ROUTES)
        )
        .exclude(Q(order__case__stage=CaseStage.FINALISED) | Q(bail__case__stage=CaseStage.FINALISED))
        .values_list("order__case_id", "bail__case_id")
        .distinct()
    )
    cases = {order_case or bail_case for order_case, bail_case in case_ids}
    proposed = sum(breach_proposals_refresh(case_id) for case_id in sorted(cases))
    logger.info("breach proposals sweep: %d cases with conditions, %d new proposals", len(cases), proposed)
