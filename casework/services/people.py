"""People: creating them with their identifiers, and giving them a role in a case."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit, policy
from accounts.models import User
from casework import choices as c
from casework.identifiers import (
    InvalidIdentifier,
    normalise_full_name,
    normalise_identifier,
    normalise_name,
    normalise_surname,
)
from casework.models import Case, CaseParty, Person, PersonAlias, PersonIdentifier
from casework.services.cases import case_flags_refresh
from casework.services.lookups import outside_lookup_record
from casework.tasks import alerts_refresh_case, enqueue_after_commit
from casework.timeline import timeline_record
from config.errors import InvalidInput


@dataclass(frozen=True)
class IdentifierInput:
    kind: str
    value: str
    platform: str = ""
    sealed: bool = False


def _validate_person(first_name: str, last_name: str, date_of_birth: date | None, gender: str, vulnerabilities):
    errors: dict[str, str] = {}
    if not first_name.strip() and not last_name.strip():
        errors["last_name"] = "Enter the person's name"
    if date_of_birth and date_of_birth > timezone.localdate():
        errors["date_of_birth"] = "Date of birth must be in the past"
    if gender not in c.Gender.values:
        errors["gender"] = f"Unknown gender {gender!r}"
    unknown = set(vulnerabilities) - set(c.Vulnerability.values)
    if unknown:
        errors["vulnerabilities"] = f"Unknown vulnerability markers: {', '.join(sorted(unknown))}"
    if errors:
        raise InvalidInput(errors)


def _identifier_rows(person: Person, identifiers: list[IdentifierInput], case: Case | None) -> list[PersonIdentifier]:
    """Rows for the identifiers; a sealed one belongs to the case it is recorded in (ADR 0007)."""
    rows, errors, seen = [], [], set()
    for n, ident in enumerate(identifiers, start=1):
        if ident.kind not in c.IdentifierKind.values:
            errors.append(f"Identifier {n}: unknown kind {ident.kind!r}")
            continue
        if ident.platform and ident.platform not in c.Platform.values:
            errors.append(f"Identifier {n}: unknown platform {ident.platform!r}")
            continue
        try:
            normalised = normalise_identifier(ident.kind, ident.value)
        except InvalidIdentifier as exc:
            errors.append(f"Identifier {n}: {exc}")
            continue
        if ident.sealed and case is None:
            errors.append(f"Identifier {n}: a sealed detail is recorded in a case; add the person to the case first")
            continue
        if (ident.kind, normalised) in seen:
            continue
        seen.add((ident.kind, normalised))
        rows.append(
            PersonIdentifier(
                person=person,
                kind=ident.kind,
                value=ident.value.strip(),
                normalised=normalised,
                platform=ident.platform if ident.kind == c.IdentifierKind.HANDLE else "",
                sealed=ident.sealed,
                case=case if ident.sealed else None,
            )
        )
    if errors:
        raise InvalidInput({"identifiers": errors})
    return rows


@transaction.atomic
def person_create(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    date_of_birth_is_approximate: bool = False,
    gender: str = c.Gender.NOT_KNOWN,
    vulnerabilities: list[str] | tuple = (),
    aliases: list[str] | tuple = (),
    identifiers: list[IdentifierInput] | tuple = (),
    case: Case | None = None,
) -> Person:
    """A new person; `case` is the case she is being recorded in, where her sealed details belong."""
    _validate_person(first_name, last_name, date_of_birth, gender, vulnerabilities)
    person = Person(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        normalised_name=normalise_name(first_name, last_name),
        surname_key=normalise_surname(last_name),
        date_of_birth=date_of_birth,
        date_of_birth_is_approximate=date_of_birth_is_approximate,
        gender=gender,
        vulnerabilities=sorted(set(vulnerabilities)),
    )
    identifier_rows = _identifier_rows(person, list(identifiers), case)
    person.save()
    for alias in {a.strip() for a in aliases if a.strip()}:
        PersonAlias.objects.create(person=person, name=alias, normalised_name=normalise_full_name(alias))
    for row in identifier_rows:
        row.save()
    return person


@transaction.atomic
def person_identifier_add(*, actor: User, case: Case, person: Person, identifier: IdentifierInput) -> PersonIdentifier:
    """A contact detail or identifier told to this case. Sealed, it is this case's alone: the same value
    sealed in another case is neither refused nor revealed here."""
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    if not CaseParty.objects.filter(case=case, person=person).exists():
        raise InvalidInput({"person": f"{person} is not in case {case.reference}"})
    (row,) = _identifier_rows(person, [identifier], case)
    if PersonIdentifier.objects.filter(person=person, kind=row.kind, normalised=row.normalised, case=row.case).exists():
        raise InvalidInput({"value": f"{person} already has this {row.get_kind_display().lower()}"})
    row.save()
    timeline_record(
        case=case,
        kind=c.TimelineKind.PERSON,
        occurred_at=timezone.now(),
        summary=f"{'Sealed ' if row.sealed else ''}{row.get_kind_display().lower()} recorded for {person}",
        source=row,
        person=person,
        actor=actor,
    )
    return row


@transaction.atomic
def party_add(
    *,
    actor: User,
    case: Case,
    person: Person,
    role: str,
    relationship_to_suspect: str = "",
) -> CaseParty:
    """Give a person a role in the case; linking someone known from other cases is a combination."""
    if not policy.may(actor, policy.Action.EDIT_CASE, case):
        raise InvalidInput("You may not change this case")
    errors = {}
    if role not in c.PartyRole.values:
        errors["role"] = f"Unknown role {role!r}"
    if relationship_to_suspect and relationship_to_suspect not in c.Relationship.values:
        errors["relationship_to_suspect"] = f"Unknown relationship {relationship_to_suspect!r}"
    if relationship_to_suspect and role != c.PartyRole.VICTIM:
        errors["relationship_to_suspect"] = "Record the relationship to the suspect on the victim"
    if errors:
        raise InvalidInput(errors)
    existing = CaseParty.objects.filter(case=case, person=person).first()
    if existing is not None:
        raise InvalidInput({"person": f"{person} is already in this case as {existing.get_role_display().lower()}"})
    known_elsewhere = CaseParty.objects.filter(person=person).exclude(case=case).exists()
    try:
        with transaction.atomic():
            party = CaseParty.objects.create(
                case=case, person=person, role=role, relationship_to_suspect=relationship_to_suspect
            )
    except IntegrityError as exc:  # a concurrent add of the same person
        raise InvalidInput({"person": f"{person} is already in this case"}) from exc
    if known_elsewhere:
        audit.combined(person, detail=f"linked to case {case.reference} as {role}")
        outside_lookup_record(actor=actor, person=person, how=c.LookupKind.LINK, through_case=case)
    case_flags_refresh(case)
    # His (or her) other cases are this case's history now, and this one theirs: escalation is recomputed.
    enqueue_after_commit(alerts_refresh_case, case.pk)
    relationship = f" ({c.Relationship(relationship_to_suspect).label.lower()})" if relationship_to_suspect else ""
    timeline_record(
        case=case,
        kind=c.TimelineKind.PERSON,
        occurred_at=timezone.now(),
        summary=f"{party.get_role_display()} added: {person}{relationship}",
        source=party,
        person=person,
        actor=actor,
    )
    return party


@transaction.atomic
def victim_entitlement_set(
    *, actor: User, party: CaseParty, enhanced: bool, update_every_working_days: int | None
) -> CaseParty:
    """Victims' Code: record the enhanced entitlement and the agreed update frequency."""
    if not policy.may(actor, policy.Action.EDIT_CASE, party.case):
        raise InvalidInput("You may not change this case")
    if party.role != c.PartyRole.VICTIM:
        raise InvalidInput({"party": "Only a victim has Victims' Code entitlements"})
    if update_every_working_days is not None and not 1 <= update_every_working_days <= 60:
        raise InvalidInput({"update_every_working_days": "Agree an update frequency between 1 and 60 working days"})
    party.victims_code_enhanced = enhanced
    party.update_every_working_days = update_every_working_days
    party.save(update_fields=["victims_code_enhanced", "update_every_working_days"])
    return party
