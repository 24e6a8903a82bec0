"""Exclusion zones: where a zone is drawn is a sealed detail (ADR 0008).

A zone round an address is often drawn round the victim's home, so its address follows the rule of her
sealed details (ADR 0002): the officer in the case and the unit's supervisors see it, each viewing
audited; another user who may reveal sealed details sees it only after stating a reason, audited with
the reason; everyone else (the CPS lawyer, an advocate) never. A condition's wording never holds the
zone's address ("within 200 metres of the confidential address"), so wording can be shown, listed,
put in the timeline and printed anywhere; the address lives only in `Condition.zone_address`.

A zone whose address equals or lies near an address of a person it protects (same house number and
street with or without the street type, a street-wide zone on her street, the same postcode or postcode
sector) would tell him where she lives: the officer is warned and asked to describe a named area
instead, and may keep the address only by confirming, with a reason, that she chose it knowingly."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from accounts import audit, policy
from accounts.policy import Action
from casework.choices import IdentifierKind
from casework.redaction import AddressKey, address_key

NEAR_WARNING = "The order served on him would reveal her address"
NAMED_AREA_ADVICE = (
    "Describe a named area instead (for example \u201cthe streets of Harborne\u201d or \u201cthe area bounded "
    "by Hagley Road, Court Oak Road and Lordswood Road\u201d), or confirm that you chose this address knowingly "
    "and say why"
)
WITHHELD_ZONE = "withheld (sealed)"


def _numbers(house_number: str) -> set[int]:
    """The house numbers a key names: "17" → {17}; "17-19" → {17, 18, 19}."""
    found = [int(n) for n in re.findall(r"\d+", house_number)]
    if len(found) == 2 and "-" in house_number and 0 <= found[1] - found[0] <= 50:
        return set(range(found[0], found[1] + 1))
    return set(found)


def is_near(zone: AddressKey, home: AddressKey) -> bool:
    """Whether a zone drawn round `zone` would point at `home` (pure)."""
    if zone.postcode and zone.postcode == home.postcode:
        return True
    if zone.postcode_sector and zone.postcode_sector == home.postcode_sector:
        return True
    if zone.street and zone.street == home.street:
        # The same street: at her number, or along the whole street (no number given).
        return not zone.house_number or bool(_numbers(zone.house_number) & _numbers(home.house_number))
    return False


def near_any(zone_address: str, addresses: Iterable[str]) -> bool:
    zone = address_key(zone_address)
    if zone is None:
        return False
    return any(home is not None and is_near(zone, home) for home in map(address_key, addresses))


def addresses_of(person_ids: Iterable[int], case) -> list[str]:
    """Every address the people have, current or not: unsealed ones, and those sealed in this case (a
    detail sealed in another case is read only through it, ADR 0007, so it must not answer here)."""
    from django.db.models import Q

    from casework.models import PersonIdentifier

    return list(
        PersonIdentifier.objects.filter(person_id__in=list(person_ids), kind=IdentifierKind.ADDRESS)
        .filter(Q(case__isnull=True) | Q(case=case))
        .values_list("value", flat=True)
    )


def near_protected(zone_address: str, person_ids: Iterable[int], case) -> bool:
    """Whether the zone's address equals or lies near an address of a person it protects."""
    return bool(zone_address.strip()) and near_any(zone_address, addresses_of(person_ids, case))


@dataclass(frozen=True)
class ZoneSight:
    """What the user may see of a case's zone addresses: `shown`, or withheld with `may_reveal` (by
    stating a reason)."""

    shown: bool
    may_reveal: bool


def zone_sight(user, case, conditions: Iterable, *, reveal_reason: str = "", where: str = "") -> ZoneSight:
    """Whether the user sees the zone addresses of these conditions of the case; each viewing audited,
    with the reason when one was needed."""
    zones = [cond for cond in conditions if cond.zone_address]
    may_see = policy.may(user, Action.VIEW_SEALED_DETAILS, case)
    may_reveal = not may_see and policy.may(user, Action.REVEAL_SEALED_DETAILS, case)
    shown = may_see or (may_reveal and bool(reveal_reason.strip()))
    if zones and shown:
        from orders.models import Condition

        why = reveal_reason.strip() or "OIC/supervisor"
        audit.consulted_many(
            Condition,
            [cond.pk for cond in zones],
            detail=f"exclusion zone address seen in {case.reference}{where}: {why}",
        )
    return ZoneSight(shown=shown, may_reveal=may_reveal and not shown)
