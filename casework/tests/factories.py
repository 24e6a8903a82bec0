import factory

from accounts.tests.factories import UnitFactory, UserFactory
from casework.models import Case


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"WMP-2026-{n:06d}")
    title = factory.Sequence(lambda n: f"Case {n}")
    unit = factory.SubFactory(UnitFactory)
    officer = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))
