"""Synthetic volume for benchmarks: N open cases with victims, incidents, contacts and evidence tasks.

Bulk inserts (no audit rows, no timeline events): this is load data for a throwaway database, never
real casework, so it refuses to run without --synthetic.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Force, Unit, User
from casework.choices import Channel, ContactMethod, PartyRole
from casework.models import Case, CaseParty, EvidenceTask, Incident, Person, VictimContact

BATCH = 5000


class Command(BaseCommand):
    help = "Bulk-insert N synthetic open cases (for bench/). Needs --synthetic."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--incidents-per-case", type=int, default=2)
        parser.add_argument("--unit", default="scale-unit")
        parser.add_argument("--synthetic", action="store_true", help="confirm this database is disposable")

    def handle(self, *args, cases, incidents_per_case, unit, synthetic, **options):
        if not synthetic:
            raise CommandError(
                "seed_scale writes synthetic cases without audit rows: pass --synthetic on a throwaway database."
            )
        now = timezone.now()
        force, _ = Force.objects.get_or_create(code="scale", defaults={"name": "Scale Test Police"})
        the_unit, _ = Unit.objects.get_or_create(code=unit, defaults={"force": force, "name": "Scale Unit"})
        officer, _ = User.objects.get_or_create(
            username=f"{unit}-officer", defaults={"role": Role.OFFICER, "unit": the_unit}
        )
        start = Case.objects.count()
        for offset in range(0, cases, BATCH):
            size = min(BATCH, cases - offset)
            with transaction.atomic():
                new_cases = Case.objects.bulk_create(
                    Case(
                        reference=f"SCALE-{unit}-{start + offset + n:07d}",
                        title="Synthetic case",
                        unit=the_unit,
                        officer=officer,
                    )
                    for n in range(size)
                )
                people = Person.objects.bulk_create(
                    Person(
                        first_name="Victim",
                        last_name=f"S{start + offset + n}",
                        normalised_name=f"s{start + offset + n} victim",
                        surname_key=f"s{start + offset + n}",
                    )
                    for n in range(size)
                )
                CaseParty.objects.bulk_create(
                    CaseParty(case=c, person=p, role=PartyRole.VICTIM) for c, p in zip(new_cases, people, strict=True)
                )
                Incident.objects.bulk_create(
                    Incident(
                        case=c,
                        victim=p,
                        occurred_at=now - timedelta(days=3 + k),
                        reported_at=now - timedelta(days=2),
                        channel=Channel.TEXT,
                        created_by=officer,
                        number=k + 1,
                    )
                    for c, p in zip(new_cases, people, strict=True)
                    for k in range(incidents_per_case)
                )
                # Every third victim's update is overdue; every fifth case has CCTV to secure tomorrow.
                VictimContact.objects.bulk_create(
                    VictimContact(
                        case=c,
                        victim=p,
                        contacted_at=now - timedelta(days=10),
                        method=ContactMethod.PHONE,
                        summary="Synthetic",
                        next_update_due=(now - timedelta(days=3 if n % 3 == 0 else -3)).date(),
                        contacted_by=officer,
                    )
                    for n, (c, p) in enumerate(zip(new_cases, people, strict=True))
                )
                EvidenceTask.objects.bulk_create(
                    EvidenceTask(
                        case=c, description="CCTV", due_on=(now + timedelta(days=1)).date(), created_by=officer
                    )
                    for n, c in enumerate(new_cases)
                    if n % 5 == 0
                )
            self.stdout.write(f"{offset + size}/{cases} cases")
        self.stdout.write(f"Seeded {cases} synthetic cases in unit {unit}.")
