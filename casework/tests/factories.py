from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UnitFactory, UserFactory
from casework.choices import Channel, PartyRole
from casework.identifiers import normalise_name, normalise_surname
from casework.models import Alert, Case, CaseParty, Incident, PassedOnIncident, Person


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"TEST-{n:06d}")
    title = factory.Sequence(lambda n: f"Case {n}")
    unit = factory.SubFactory(UnitFactory)
    officer = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Example"
    normalised_name = factory.LazyAttribute(lambda o: normalise_name(o.first_name, o.last_name))
    surname_key = factory.LazyAttribute(lambda o: normalise_surname(o.last_name))


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    reported_at = factory.LazyFunction(timezone.now)
    channel = Channel.TEXT
    created_by = factory.SelfAttribute("case.officer")
    # The next number in its case, as the incident services give it.
    number = factory.LazyAttribute(lambda o: Incident.objects.filter(case=o.case).count() + 1)


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    case = factory.SubFactory(CaseFactory)
    kind = "evidence_deadline"
    severity = "warning"
    audience = "oic"
    raised_at = factory.LazyFunction(timezone.now)


def add_victim(case, first_name: str = "Jane", last_name: str = "Doe") -> Person:
    person = PersonFactory(first_name=first_name, last_name=last_name)
    CaseParty.objects.create(case=case, person=person, role=PartyRole.VICTIM)
    return person


def pass_on(case, victim, advocate, **changes) -> PassedOnIncident:
    """What the victim told her advocate, passed on for the officer (as casework.services.care records it)."""
    values = {
        "occurred_at": timezone.now() - timedelta(days=1),
        "channel": Channel.TEXT,
        "count": 3,
        "account": "Three texts saying he knows where she works now.",
    }
    return PassedOnIncident.objects.create(case=case, victim=victim, passed_on_by=advocate, **(values | changes))
