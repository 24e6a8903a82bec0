from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import audit
from accounts.choices import Role
from accounts.models import CPSArea, Force, SupportOrganisation, Unit, User
from accounts.services import user_create
from casework.models import Case
from casework.services.cases import case_open

DEMO_PASSWORD = "demo-password-2026"

DEMO_USERS = [
    ("officer", Role.OFFICER, "wm-stalking", "Priya", "Shah"),
    ("supervisor", Role.SUPERVISOR, "wm-stalking", "Dan", "Okafor"),
    ("registrar", Role.REGISTRAR, "wm-stalking", "Helen", "Marsh"),
    ("officer2", Role.OFFICER, "wm-response", "Tom", "Price"),
    ("lawyer", Role.CPS_LAWYER, "cps-west-midlands", "Grace", "Adeyemi"),
    ("advocate", Role.ADVOCATE, "paladin", "Sam", "Hughes"),
]


class Command(BaseCommand):
    help = f"Load demo places, users (password: {DEMO_PASSWORD}) and a demo case. Only in DEMO_MODE."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo users have a known password: seed_demo runs only with DEMO_MODE on.")
        with audit.acting_as(None), transaction.atomic():
            force, _ = Force.objects.get_or_create(code="wmp", defaults={"name": "West Midlands Police"})
            Unit.objects.get_or_create(
                code="wm-stalking", defaults={"force": force, "name": "Stalking and Harassment Unit"}
            )
            Unit.objects.get_or_create(code="wm-response", defaults={"force": force, "name": "Response Team B"})
            CPSArea.objects.get_or_create(code="cps-west-midlands", defaults={"name": "CPS West Midlands"})
            SupportOrganisation.objects.get_or_create(
                code="paladin", defaults={"name": "Paladin National Stalking Advocacy Service"}
            )
            for username, role, place, first, last in DEMO_USERS:
                if not User.objects.filter(username=username).exists():
                    user_create(
                        username=username,
                        role=role,
                        place_code=place,
                        password=DEMO_PASSWORD,
                        first_name=first,
                        last_name=last,
                    )
            officer = User.objects.get(username="officer")
            if not Case.objects.exists():
                case_open(actor=officer, title="Demo: following and messages from ex-partner", is_stalking=True)
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): {', '.join(u[0] for u in DEMO_USERS)}")
