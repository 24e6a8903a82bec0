from functools import cache

import factory
from django.contrib.auth.hashers import make_password

from accounts.choices import Role
from accounts.models import CPSArea, Force, SupportOrganisation, Unit, User

TEST_PASSWORD = "a-long-test-password-2026"


@cache
def _test_password_hash() -> str:
    # Argon2 is slow on purpose; hash the shared test password once per run.
    return make_password(TEST_PASSWORD)


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("code",)

    code = "wmp"
    name = "West Midlands Police"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    force = factory.SubFactory(ForceFactory)
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")


class CPSAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CPSArea

    code = factory.Sequence(lambda n: f"cps-{n}")
    name = factory.Sequence(lambda n: f"CPS Area {n}")


class SupportOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportOrganisation

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Advocacy Service {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    role = Role.OFFICER
    unit = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in (Role.OFFICER, Role.SUPERVISOR, Role.REGISTRAR)),
        yes_declaration=factory.SubFactory(UnitFactory),
        no_declaration=None,
    )
    cps_area = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.CPS_LAWYER),
        yes_declaration=factory.SubFactory(CPSAreaFactory),
        no_declaration=None,
    )
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.ADVOCATE),
        yes_declaration=factory.SubFactory(SupportOrganisationFactory),
        no_declaration=None,
    )
    password = factory.LazyFunction(_test_password_hash)
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.REGISTRAR)
