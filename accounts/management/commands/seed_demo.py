from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.choices import Role
from accounts.models import CPSArea, Force, SupportOrganisation, Unit, User
from accounts.services import user_create
from casework.models import Case
from casework.services.cases import case_open
from casework.services.incidents import IncidentInput, incident_record
from casework.services.people import IdentifierInput, party_add, person_create
from casework.services.referrals import support_referral_record

DEMO_PASSWORD = "demo-password-2026"

DEMO_USERS = [
    ("officer", Role.OFFICER, "wm-stalking", "Priya", "Shah"),
    ("supervisor", Role.SUPERVISOR, "wm-stalking", "Dan", "Okafor"),
    ("registrar", Role.REGISTRAR, "wm-stalking", "Helen", "Marsh"),
    ("officer2", Role.OFFICER, "wm-response", "Tom", "Price"),
    ("lawyer", Role.CPS_LAWYER, "cps-west-midlands", "Grace", "Adeyemi"),
    ("advocate", Role.ADVOCATE, "paladin", "Sam", "Hughes"),
]


def _demo_case(officer: User, advocacy: SupportOrganisation) -> None:
    """A victim followed and messaged by an ex-partner already known as a suspect from 2024, referred with
    her consent to the advocacy service (so the demo advocate sees her victim-safe view)."""
    now = timezone.now()
    old = case_open(actor=officer, title="Demo (2024): harassment by neighbour", is_harassment=True)
    suspect = person_create(
        actor=officer,
        first_name="Mark",
        last_name="Reeve",
        date_of_birth=date(1986, 4, 2),
        gender="male",
        identifiers=[IdentifierInput("phone", "07700 900456"), IdentifierInput("vehicle", "KX19 ABC")],
    )
    party_add(actor=officer, case=old, person=suspect, role="suspect")
    case = case_open(actor=officer, title="Demo: following and messages from ex-partner", is_stalking=True)
    victim = person_create(
        actor=officer,
        first_name="Jane",
        last_name="Doe",
        gender="female",
        identifiers=[IdentifierInput("address", "14 Elm Road, Walsall", sealed=True)],
        case=case,
    )
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="ex_partner")
    party_add(actor=officer, case=case, person=suspect, role="suspect")
    for days_ago, channel, place, count, narrative in [
        (30, "loitering", "victim_work", 1, "Waiting outside her office at 17:30"),
        (21, "text", "online", 40, "40 texts in a day from a new number"),
        (14, "gift", "victim_home", 1, "Flowers left on the doorstep with a note"),
        (6, "loitering", "victim_home", 1, "Car KX19 ABC parked opposite her house for two hours"),
        (1, "phone_call", "", 12, "12 calls overnight; said he would never let her go"),
    ]:
        incident_record(
            actor=officer,
            case=case,
            data=IncidentInput(
                occurred_at=now - timedelta(days=days_ago),
                channel=channel,
                place=place,
                count=count,
                narrative=narrative,
                victim_id=victim.pk,
                behaviours=["contacting"] if channel in {"text", "phone_call", "gift"} else ["loitering", "watching"],
            ),
        )
    support_referral_record(
        actor=officer, case=case, victim_id=victim.pk, service="stalking_advocate", outcome="referred",
        referred_on=timezone.localdate(), organisation_id=advocacy.pk, consent_to_share=True,
    )  # fmt: skip


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
            advocacy, _ = SupportOrganisation.objects.get_or_create(
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
            if not Case.objects.exists():
                _demo_case(User.objects.get(username="officer"), advocacy)
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): {', '.join(u[0] for u in DEMO_USERS)}")
