from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UnitFactory, UserFactory
from casework.choices import Channel
from casework.identifiers import normalise_name, normalise_surname
from casework.models import Alert, Case, Incident, Person


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


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    case = factory.SubFactory(CaseFactory)
    kind = "evidence_deadline"
    severity = "warning"
    audience = "oic"
    raised_at = factory.LazyFunction(timezone.now)
