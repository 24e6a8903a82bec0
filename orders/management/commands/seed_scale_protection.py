"""Synthetic protection for the cases `seed_scale` made, so the protection checks have rows at scale: a
suspect and his route on every case; bail, orders, notices to the victim, possible breaches and breaches
on some. Cases that already have a route are skipped, so it can run again after more cases are seeded.

Bulk inserts (no audit rows, no timeline events) for a throwaway database: it refuses without --synthetic.
"""

from collections import defaultdict
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from casework.choices import PartyRole
from casework.models import Case, CaseParty, Incident, Person
from orders import choices as c
from orders.models import Breach, BreachProposal, Condition, ProtectiveOrder, SuspectRoute, VictimNotice

BATCH = 5000


def _route(n: int, today) -> dict:
    """Every 4th case on bail (every 8th ending within the week), every 10th a voluntary interview
    awaiting review, the rest arrested."""
    if n % 4 == 0:
        return {
            "route": c.Route.PRE_CHARGE_BAIL, "bail_start": today - timedelta(days=20),
            "bail_end": today + timedelta(days=3 if n % 8 == 0 else 40),
            "bail_authority": c.BailAuthority.CUSTODY_OFFICER,
        }  # fmt: skip
    if n % 10 == 1:
        return {"route": c.Route.VOLUNTARY_INTERVIEW, "needs_review": True, "unprotected_reason": "Synthetic"}
    return {"route": c.Route.ARREST}


class Command(BaseCommand):
    help = "Bulk-insert synthetic protection on the seed_scale cases (for bench/). Needs --synthetic."

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="scale-unit")
        parser.add_argument("--synthetic", action="store_true", help="confirm this database is disposable")

    def handle(self, *args, unit, synthetic, **options):
        if not synthetic:
            raise CommandError(
                "seed_scale_protection writes synthetic rows without audit: pass --synthetic on a throwaway database."
            )
        routed = SuspectRoute.objects.filter(case_id=OuterRef("pk"))
        case_ids = list(
            Case.objects.filter(unit__code=unit, reference__startswith="SCALE-")
            .exclude(Exists(routed))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for offset in range(0, len(case_ids), BATCH):
            with transaction.atomic():
                self._seed(case_ids[offset : offset + BATCH])
            self.stdout.write(f"{min(offset + BATCH, len(case_ids))}/{len(case_ids)} cases")
        self.stdout.write(f"Seeded protection on {len(case_ids)} synthetic cases in unit {unit}.")

    def _seed(self, case_ids: list[int]) -> None:
        today, now = timezone.localdate(), timezone.now()
        cases = Case.objects.in_bulk(case_ids)
        victims = dict(
            CaseParty.objects.filter(case_id__in=case_ids, role=PartyRole.VICTIM).values_list("case_id", "person_id")
        )
        incidents: dict[int, list[int]] = defaultdict(list)
        for case_id, incident_id in (
            Incident.objects.filter(case_id__in=case_ids).order_by("pk").values_list("case_id", "pk")
        ):
            incidents[case_id].append(incident_id)
        suspects = Person.objects.bulk_create(
            Person(first_name="Suspect", last_name=f"S{pk}", normalised_name=f"s{pk} suspect", surname_key=f"s{pk}")
            for pk in case_ids
        )
        CaseParty.objects.bulk_create(
            CaseParty(case_id=pk, person=p, role=PartyRole.SUSPECT) for pk, p in zip(case_ids, suspects, strict=True)
        )
        SuspectRoute.objects.bulk_create(
            SuspectRoute(
                case_id=pk, suspect=p, occurred_on=today - timedelta(days=20), recorded_by_id=cases[pk].officer_id,
                **_route(n, today),
            )
            for n, (pk, p) in enumerate(zip(case_ids, suspects, strict=True))
        )  # fmt: skip
        # Every 5th case has an order in force: every 10th expiring within the warning window, every
        # 15th with the respondent's notification missed.
        with_order = [(n, pk, p) for n, (pk, p) in enumerate(zip(case_ids, suspects, strict=True)) if n % 5 == 0]
        orders = ProtectiveOrder.objects.bulk_create(
            ProtectiveOrder(
                case_id=pk, order_type=c.OrderType.RESTRAINING_ORDER_CONVICTION, status=c.OrderStatus.IN_FORCE,
                respondent=p, court="Synthetic court", applied_on=today - timedelta(days=40),
                granted_on=today - timedelta(days=31), decided_on=today - timedelta(days=31),
                served_on=today - timedelta(days=30), duration_value=2, duration_unit=c.DurationUnit.YEARS,
                expires_on=today + timedelta(days=10 if n % 10 == 0 else 400),
                notification_due_on=today - timedelta(days=2) if n % 15 == 0 else None,
                created_by_id=cases[pk].officer_id,
            )
            for n, pk, p in with_order
        )  # fmt: skip
        # Every 20th case: the victim not told of the order; every 25th: a breach a few days old and a
        # possible breach awaiting the officer.
        VictimNotice.objects.bulk_create(
            VictimNotice(
                case_id=o.case_id, victim_id=victims[o.case_id], order=o, event=c.NoticeEvent.SERVED,
                event_on=today - timedelta(days=30), due_on=today - timedelta(days=29),
            )
            for (n, _, _), o in zip(with_order, orders, strict=True)
            if n % 20 == 0 and o.case_id in victims
        )  # fmt: skip
        breached = [o for (n, _, _), o in zip(with_order, orders, strict=True) if n % 25 == 0]
        conditions = Condition.objects.bulk_create(
            Condition(
                order=o, kind=c.ConditionKind.NO_CONTACT, wording="Not to contact the victim.", rationale="Synthetic",
                channels=sorted(c.CONTACT_CHANNELS), created_by_id=o.created_by_id,
            )
            for o in breached
        )  # fmt: skip
        breaches = Breach.objects.bulk_create(
            Breach(case_id=o.case_id, incident_id=incidents[o.case_id][0], order=o, recorded_by_id=o.created_by_id)
            for o in breached
            if incidents[o.case_id]
        )
        Breach.objects.filter(pk__in=[b.pk for b in breaches]).update(recorded_at=now - timedelta(days=3))
        BreachProposal.objects.bulk_create(
            BreachProposal(
                case_id=cond.order.case_id, incident_id=incidents[cond.order.case_id][1], condition=cond,
                reason="contact by text message",
            )
            for cond in conditions
            if len(incidents[cond.order.case_id]) > 1
        )  # fmt: skip
