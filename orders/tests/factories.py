"""Factories for protection: orders, conditions, the suspect's route, breaches, proposals, notices and
warrants. They write rows directly (no lifecycle checks): use orders.services to test the rules.

A case with a victim and a suspect: `CasePartyFactory(case=case, role=PartyRole.VICTIM)` etc., or
`parties(case)` which returns (victim, suspect) already in the case."""

from datetime import timedelta

import factory
from django.utils import timezone

from casework.choices import PartyRole
from casework.models import CaseParty
from casework.tests.factories import CaseFactory, IncidentFactory, PersonFactory
from orders import choices as c
from orders.models import (
    Breach,
    BreachProposal,
    Condition,
    ProtectiveOrder,
    SearchWarrant,
    SuspectRoute,
    VictimNotice,
)


class CasePartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseParty

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    role = PartyRole.VICTIM


def parties(case, *, relationship: str = ""):
    """A victim and a suspect added to the case: (victim, suspect)."""
    victim = CasePartyFactory(
        case=case, role=PartyRole.VICTIM, relationship_to_suspect=relationship, person__first_name="Jane"
    ).person
    suspect = CasePartyFactory(case=case, role=PartyRole.SUSPECT, person__first_name="John").person
    return victim, suspect


class ProtectiveOrderFactory(factory.django.DjangoModelFactory):
    """An order at "considered". Pass `protected_people=[victim]` to set whom it protects."""

    class Meta:
        model = ProtectiveOrder
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    order_type = c.OrderType.RESTRAINING_ORDER_CONVICTION
    respondent = factory.SubFactory(PersonFactory)
    court = "Birmingham Magistrates' Court"
    created_by = factory.SelfAttribute("case.officer")

    @factory.post_generation
    def protected_people(self, create, extracted, **kwargs):
        if create and extracted:
            self.protected_people.set(extracted)

    class Params:
        # An order served a month ago for 2 years, binding now.
        in_force = factory.Trait(
            status=c.OrderStatus.IN_FORCE,
            applied_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=40)),
            granted_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=31)),
            decided_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=31)),
            served_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30)),
            duration_value=2,
            duration_unit=c.DurationUnit.YEARS,
            expires_on=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=700)),
        )


class SuspectRouteFactory(factory.django.DjangoModelFactory):
    """An arrest by default; `bail=True` for current pre-charge bail set by a custody officer."""

    class Meta:
        model = SuspectRoute

    case = factory.SubFactory(CaseFactory)
    suspect = factory.SubFactory(PersonFactory)
    route = c.Route.ARREST
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    recorded_by = factory.SelfAttribute("case.officer")

    class Params:
        bail = factory.Trait(
            route=c.Route.PRE_CHARGE_BAIL,
            bail_start=factory.SelfAttribute("occurred_on"),
            bail_end=factory.LazyAttribute(lambda o: o.occurred_on + timedelta(days=60)),
            bail_authority=c.BailAuthority.CUSTODY_OFFICER,
        )


class ConditionFactory(factory.django.DjangoModelFactory):
    """A no-contact condition of an order, consulted on. Pass `protected_people=[victim]`."""

    class Meta:
        model = Condition
        skip_postgeneration_save = True

    order = factory.SubFactory(ProtectiveOrderFactory)
    bail = None
    kind = c.ConditionKind.NO_CONTACT
    wording = "Not to contact the victim directly or indirectly."
    channels = factory.LazyFunction(lambda: sorted(c.CONTACT_CHANNELS))
    rationale = "He has texted her every day."
    consultation = c.ConsultationOutcome.SUPPORTS
    consulted_on = factory.LazyFunction(timezone.localdate)
    victim_view = "She wants no contact at all."
    created_by = factory.LazyAttribute(lambda o: (o.order or o.bail).case.officer)

    @factory.post_generation
    def protected_people(self, create, extracted, **kwargs):
        if create and extracted:
            self.protected_people.set(extracted)


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breach

    order = factory.SubFactory(ProtectiveOrderFactory, in_force=True)
    bail = None
    case = factory.LazyAttribute(lambda o: (o.order or o.bail).case)
    incident = factory.SubFactory(IncidentFactory, case=factory.SelfAttribute("..case"))
    condition = None
    recorded_by = factory.SelfAttribute("case.officer")


class BreachProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreachProposal

    condition = factory.SubFactory(ConditionFactory, order__in_force=True)
    case = factory.LazyAttribute(lambda o: (o.condition.order or o.condition.bail).case)
    incident = factory.SubFactory(IncidentFactory, case=factory.SelfAttribute("..case"))
    reason = "contact by text message"


class VictimNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VictimNotice

    order = factory.SubFactory(ProtectiveOrderFactory, in_force=True)
    case = factory.SelfAttribute("order.case")
    victim = factory.SubFactory(PersonFactory)
    event = c.NoticeEvent.SERVED
    event_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1))


class SearchWarrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchWarrant

    case = factory.SubFactory(CaseFactory, is_stalking=True)
    premises = "14 Example Road, Birmingham"
    grounds = "Stalking (s.2A): phones and notebooks recording her movements."
    applied_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    court = "Birmingham Magistrates' Court"
    recorded_by = factory.SelfAttribute("case.officer")
