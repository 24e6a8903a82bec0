"""The one registry through which the escalation detector's facts are gathered.

Risk reads a case's incidents, parties and assessments itself; everything else another app owns comes
from the providers it registers in its `AppConfig.ready()`: orders adds breaches, arrests, convictions
and his orders and bail elsewhere; recording adds legacy warning notices. So risk never imports the
apps built beside it, and an app that starts to hold a relevant fact adds a provider, not an import.

A provider takes the `CaseParties` and returns a `Contribution`, in a fixed number of queries whatever
the size of the case or of his history (bench/escalation.py prints the count).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from casework.models import Case
from risk.escalation import BreachFacts, NoticeFacts


@dataclass(frozen=True)
class CaseParties:
    case: Case
    suspect_ids: frozenset[int]
    victim_ids: frozenset[int]
    now: datetime


@dataclass
class Contribution:
    breaches: list[BreachFacts] = field(default_factory=list)  # in this case
    warnings_or_arrests: list[datetime] = field(default_factory=list)  # in this case
    breaches_elsewhere: list[datetime] = field(default_factory=list)  # by him, in his other cases
    convictions: list[date] = field(default_factory=list)
    notices: list[NoticeFacts] = field(default_factory=list)  # legacy warnings given to him anywhere
    orders_elsewhere: list[tuple[str, date]] = field(default_factory=list)

    def merge(self, other: "Contribution") -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).extend(getattr(other, name))


Provider = Callable[[CaseParties], Contribution]
_providers: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def gather(parties: CaseParties) -> Contribution:
    gathered = Contribution()
    for provider in _providers:
        gathered.merge(provider(parties))
    return gathered
