"""Which service owns each move of a case's stage (issue 13, ADR 0007).

A move that records a decision with legal weight (recording the crime, asking the CPS for a charging
decision, charging, no further action, an out-of-court disposal, the court's outcome) is made only by the
service that records the decision, in the same transaction. The generic "Move the case" form and
`POST …/transitions/` offer the other moves, and for an owned one say which action to use.

Apps register their moves in `AppConfig.ready()`, as they register tabs and panels, so casework never
imports the apps built on it. A guard is a further precondition on a generic move that only another app
can judge (e.g. finalising after no further action needs the victim told of the decision).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class StageOwner:
    to_stage: str
    from_stages: frozenset[str]  # the moves to `to_stage` it owns; empty: from every stage
    action: str  # what to do instead, in the users' words
    url_name: str  # the page where it is done (takes the case id)

    def owns(self, from_stage: str, to_stage: str) -> bool:
        return to_stage == self.to_stage and (not self.from_stages or from_stage in self.from_stages)

    def url(self, case_id: int) -> str:
        return reverse(self.url_name, args=[case_id])


# A guard answers {field: message} for what is missing before `case` may move; {} when nothing is.
Guard = Callable[..., dict[str, str]]

_owners: list[StageOwner] = []
_guards: dict[str, list[Guard]] = {}


def register_owner(owner: StageOwner) -> None:
    if owner not in _owners:
        _owners.append(owner)


def register_guard(to_stage: str, guard: Guard) -> None:
    guards = _guards.setdefault(to_stage, [])
    if guard not in guards:
        guards.append(guard)


def owner_of(from_stage: str, to_stage: str) -> StageOwner | None:
    return next((o for o in _owners if o.owns(from_stage, to_stage)), None)


def owned_moves(from_stage: str, next_stages: frozenset[str]) -> list[StageOwner]:
    """The owners of the moves open from `from_stage`, in lifecycle order of `next_stages`."""
    return [o for o in _owners if o.to_stage in next_stages and o.owns(from_stage, o.to_stage)]


def guard_errors(case, to_stage: str, **facts) -> dict[str, str]:
    errors: dict[str, str] = {}
    for guard in _guards.get(to_stage, []):
        errors |= guard(case, **facts)
    return errors
