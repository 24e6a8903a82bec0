"""What a lawyer, an advocate or a printed document must never receive: victims' addresses and sealed
details, matched however they were typed (ADR 0002).

The matching is pure (no database): `address_key` reads a free-text UK address, `Redactor` finds
and withholds secrets in any text. A secret is matched as a whole, never word by word, so "Road" or
"Flat" alone is left alone:
- an address by its house number and street name, with or without the street type or with its common
  abbreviation ("17 Hiddenway Cl", "17-19 hiddenway close"), or by street name and type without the
  number; its postcode with or without the space; and the whole address word for word;
- a phone number by its digits, whatever the prefix (+44, 0044, 0, "(0)") and separators;
- an e-mail address in any case, with any surrounding punctuation.
Text is compared in a folded form (lower case, accents and apostrophes dropped, every other run of
punctuation or space one space), whose characters map back to the original, so what is withheld is
exactly the original span.

`victim_redactor(case)` gathers the secrets of a case's victims from the database."""

from __future__ import annotations

import copy as _copy
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import phonenumbers
from django.db.models import Q

from casework.choices import IdentifierKind, PartyRole
from config.errors import InvalidInput

if TYPE_CHECKING:
    from accounts.models import User
    from casework.models import Case, Person

M = TypeVar("M")

WITHHELD = "[withheld]"

# Canonical street type → the ways it is written. The canonical word is also a way.
STREET_TYPES: dict[str, tuple[str, ...]] = {
    "road": ("rd",),
    "street": ("st", "str"),
    "close": ("cl",),
    "avenue": ("ave", "av", "avn"),
    "lane": ("ln",),
    "drive": ("dr", "drv"),
    "crescent": ("cres", "cresc", "cr"),
    "gardens": ("gdns", "gdn", "gardns"),
    "terrace": ("terr", "ter", "tce"),
    "place": ("pl",),
    "court": ("ct", "crt"),
    "square": ("sq",),
    "grove": ("gr", "gro", "grv"),
    "mews": (),
    "way": (),
    "walk": ("wk", "wlk"),
    "hill": (),
    "park": ("pk",),
    "row": (),
    "green": ("grn",),
    "gate": (),
    "rise": (),
    "vale": (),
    "view": (),
    "parade": ("pde",),
    "boulevard": ("blvd",),
    "croft": (),
    "chase": (),
    "wharf": (),
    "approach": ("appr",),
    "yard": ("yd",),
    "mount": ("mt",),
    "circus": (),
    "end": (),
    "fields": (),
    "meadow": (),
    "meadows": (),
    "embankment": (),
    "passage": (),
    "quay": (),
}
_TYPE_OF: dict[str, str] = {way: canon for canon, ways in STREET_TYPES.items() for way in (canon, *ways)}

_POSTCODE = re.compile(r"(?<![0-9a-z])([a-z]{1,2}[0-9][a-z0-9]?) ?([0-9][a-z]{2})(?![0-9a-z])")
_APOSTROPHES = "'’‘`"


# --- Folding: compare text however it was typed ------------------------------------------------------


@dataclass(frozen=True)
class _Folded:
    text: str
    starts: tuple[int, ...]  # for each folded character, where its original starts…
    ends: tuple[int, ...]  # …and ends


def _fold(text: str) -> _Folded:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in _APOSTROPHES:
            continue
        if ch.isascii():
            kept = [ch.lower()] if ch.isalnum() else []
        else:
            kept = [d for d in unicodedata.normalize("NFKD", ch.casefold()) if d.isascii() and d.isalnum()]
        if not kept:
            if out and out[-1] != " ":
                out.append(" ")
                starts.append(i)
                ends.append(i + 1)
            continue
        for d in kept:
            out.append(d)
            starts.append(i)
            ends.append(i + 1)
    return _Folded("".join(out), tuple(starts), tuple(ends))


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _fold_text_quickly(text: str) -> str:
    """The folded text alone (no map back), as `_fold` gives it."""
    if text.isascii() and "'" not in text and "`" not in text:
        return _NOT_WORD.sub(" ", text.lower()).lstrip(" ")
    return _fold(text).text


def _fold_text(text: str) -> str:
    return _fold(text).text.strip()


# --- Addresses ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressKey:
    """A UK address reduced to what identifies it: "Flat 2, 17 St John's Cl, Harborne, b12 9qx" →
    house_number "17", street "st johns", street_type "close", postcode "B129QX", postcode_sector
    "B12 9". Any part not found is ""."""

    house_number: str
    street: str
    street_type: str
    postcode: str
    postcode_sector: str


def address_key(text: str) -> AddressKey | None:
    """The key of a free-text UK address, or None if it names neither a street nor a postcode."""
    if not text:
        return None
    postcode = postcode_sector = ""
    segments = []
    for segment in re.split(r"[,;\n]+", text):
        words = _address_words(segment)
        found = _POSTCODE.search(words)
        if found:
            if not postcode:
                postcode = (found[1] + found[2]).upper()
                postcode_sector = f"{found[1].upper()} {found[2][0]}"
            words = (words[: found.start()] + " " + words[found.end() :]).strip()
        segments.append(words.split())
    number, street, street_type = _street(segments)
    if not street and not postcode:
        return None
    return AddressKey(number, street, street_type, postcode, postcode_sector)


def _address_words(segment: str) -> str:
    # Like the fold, but a hyphen between house numbers stays: "17-19" is one number, not two.
    segment = re.sub(r"(\d+[a-z]?)\s*[-–]\s*(\d+)", r"\1-\2", segment.casefold())
    folded = "".join(ch for ch in segment if ch not in _APOSTROPHES)
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9-]+", " ", re.sub(r"(?<![0-9])-|-(?![0-9])", " ", folded)).strip()


_NUMBER = re.compile(r"\d+[a-z]?(?:-\d+[a-z]?)?")


def _street(segments: list[list[str]]) -> tuple[str, str, str]:
    """(house number, street name, street type) from the address's comma-separated parts: the street
    follows the last house number of a part (so "Flat 2 17 High St" is number 17), or begins the next
    part; without a number,
    the first part that ends in a street type ("Rose Cottage, Mill Lane")."""
    for n, words in enumerate(segments):
        numbers = [i for i, w in enumerate(words) if _NUMBER.fullmatch(w)]
        if numbers:
            i = numbers[-1]
            after = words[i + 1 :] or (segments[n + 1] if n + 1 < len(segments) else [])  # "17, High St"
            if len(after) >= 1 and len(after[0]) == 1 and after[0].isalpha() and len(after) > 1:
                after = after[1:]  # "17 a High Street": the letter belongs to the number
            name = []
            for w in after:
                if not w.isalpha():
                    break
                name.append(w)
            if name:
                street, street_type = _split_type(name)
                return words[i], street, street_type
    for words in segments:
        if words and words[-1] in _TYPE_OF and len(words) > 1 and all(w.isalpha() for w in words):
            street, street_type = _split_type(words)
            return "", street, street_type
    return "", "", ""


def _split_type(words: list[str]) -> tuple[str, str]:
    """The street name and its canonical type: the first type word after the name's first word (and
    the last of adjacent ones: "Church Hill Road" is a road), the rest being the locality."""
    end = next((i for i in range(1, len(words)) if words[i] in _TYPE_OF), None)
    if end is None:
        return _name(words), ""
    while end + 1 < len(words) and words[end + 1] in _TYPE_OF:
        end += 1
    name = words[:end]
    if name == ["the"]:  # "17 The Green": the type word is the name
        return _name(words[: end + 1]), ""
    return _name(name), _TYPE_OF[words[end]]


def _name(words: list[str]) -> str:
    return " ".join("st" if w == "saint" else w for w in words)


# --- Phone numbers and e-mail addresses -------------------------------------------------------------


def phone_digits(value: str) -> tuple[str, str] | None:
    """(country code, national number) of a phone number as typed, reading it as British unless it
    says otherwise; None if it is not one."""
    if not re.fullmatch(r"[\d\s()+.\-/]+", value.strip()) or not 7 <= len(re.sub(r"\D", "", value)) <= 15:
        return None
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None
    national = str(number.national_number)
    return (str(number.country_code), national) if len(national) >= 6 else None


def _is_email(value: str) -> bool:
    value = value.strip()
    return value.count("@") == 1 and "." in value.split("@")[1] and " " not in value


# --- The redactor ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    """A value to withhold, and what it is in the users' words ("address", "phone number"…)."""

    value: str
    label: str


def secret_label(value: str) -> str:
    """What a bare secret looks like it is, for a message that must not repeat it."""
    if _is_email(value):
        return "e-mail address"
    if phone_digits(value):
        return "phone number"
    key = address_key(value)
    if key and (key.house_number or key.postcode or key.street_type):
        return "address"
    return "details"


def secret_patterns(value: str) -> list[str]:
    """The patterns (over folded text) that find a secret however it is written."""
    folded = _fold_text(value)
    patterns = []
    if len(folded.replace(" ", "")) >= 5:  # one short word ("Flat", "1") would blank ordinary text
        patterns.append(r"(?<![0-9a-z])" + re.escape(folded) + r"(?![0-9a-z])")
    if _is_email(value):
        return patterns
    phone = phone_digits(value)
    if phone:
        return [*patterns, _phone_pattern(*phone)]
    key = address_key(value)
    if key:
        patterns += _address_patterns(key)
    return patterns


def _phone_pattern(country_code: str, national: str) -> str:
    prefix = rf"(?:(?:00 ?)?{country_code} ?(?:0 ?)?|0 ?)?"
    return r"(?<![0-9])" + prefix + " ?".join(national) + r"(?![0-9])"


def _address_patterns(key: AddressKey) -> list[str]:
    patterns = []
    if key.postcode:
        outward, inward = key.postcode[:-3].lower(), key.postcode[-3:].lower()
        patterns.append(rf"(?<![0-9a-z]){outward} ?{inward}(?![0-9a-z])")
    if not key.street:
        return patterns
    street = " ".join("(?:st|saint)" if w == "st" else re.escape(w) for w in key.street.split())
    kind = ""
    if key.street_type:
        ways = sorted((key.street_type, *STREET_TYPES[key.street_type]), key=len, reverse=True)
        kind = "(?:" + "|".join(ways) + ")"
    numbers = re.findall(r"\d+", key.house_number)
    if numbers:
        number = r"(?:[0-9]+[a-z]? )?(?:" + "|".join(numbers) + r")(?: ?[a-z])?(?: [0-9]+[a-z]?)?"
        optional_kind = f"(?: {kind})?" if kind else ""
        patterns.append(rf"(?<![0-9a-z]){number} {street}{optional_kind}(?![0-9a-z])")
    if kind and len(key.street.replace(" ", "")) >= 3:
        patterns.append(rf"(?<![0-9a-z]){street} {kind}(?![0-9a-z])")
    return patterns


class Redactor:
    """Finds and withholds given secrets in free text: `redact(text)` gives the text with each secret
    replaced by WITHHELD; `redact.found(text)` the labels of the secrets it holds. A bare string's
    label is guessed from its form (`secret_label`)."""

    def __init__(self, secrets: Iterable[str | Secret]):
        self._patterns: dict[str, tuple[re.Pattern[str], str]] = {}
        for secret in secrets:
            if isinstance(secret, str):
                secret = Secret(secret, secret_label(secret))
            for pattern in secret_patterns(secret.value) if secret.value else ():
                self._patterns.setdefault(pattern, (re.compile(pattern), secret.label))
        self._any = re.compile("|".join(f"(?:{pattern})" for pattern in self._patterns))

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """The original spans of every secret found, overlapping ones merged (so where a whole address
        and its street both match, the whole is withheld)."""
        if not text or not self._patterns:
            return []
        if not self._any.search(_fold_text_quickly(text)):
            return []  # the usual case, in one pass and without building the map back to the original
        folded = _fold(text)
        found = []
        for pattern, label in self._patterns.values():
            for match in pattern.finditer(folded.text):
                start, end = folded.starts[match.start()], folded.ends[match.end() - 1]
                while start > 0 and text[start - 1] in "+(":
                    start -= 1
                if text.count("(", start, end) > text.count(")", start, end) and text[end : end + 1] == ")":
                    end += 1
                found.append((start, end, label))
        spans: list[tuple[int, int, str]] = []
        for start, end, label in sorted(found, key=lambda span: (span[0], -span[1])):
            if spans and start < spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]), spans[-1][2])
            else:
                spans.append((start, end, label))
        return spans

    def __call__(self, text: str) -> str:
        spans = self._spans(text)
        if not spans:
            return text
        pieces, at = [], 0
        for start, end, _ in spans:
            pieces += [text[at:start], WITHHELD]
            at = end
        pieces.append(text[at:])
        return "".join(pieces)

    def found(self, text: str) -> list[str]:
        """The labels of the secrets in `text`, each once, in the order they appear."""
        return list(dict.fromkeys(label for _, _, label in self._spans(text)))


# --- The secrets of a case's victims -----------------------------------------------------------------


def victim_secrets(case: Case, *, people: Iterable[Person] = ()) -> list[Secret]:
    """Every address the case's victims and the given people (e.g. those an order protects) have, current
    or not, and every sealed detail of theirs, from all their cases (a detail sealed in one case is
    withheld in every other: redact more, never less)."""
    return _secrets_by_case([case.pk], {p.pk for p in people})[case.pk]


def _secrets_by_case(case_ids: Iterable[int], people_ids: set[int]) -> dict[int, list[Secret]]:
    from casework.models import PersonIdentifier

    people_of = _victims_by_case(case_ids, people_ids)
    rows = PersonIdentifier.objects.filter(person_id__in=set().union(*people_of.values())).filter(
        Q(kind=IdentifierKind.ADDRESS) | Q(sealed=True)
    )
    secrets_of: dict[int, list[Secret]] = {}
    for person_id, kind, *texts in rows.values_list("person_id", "kind", "value", "normalised"):
        secrets_of.setdefault(person_id, []).extend(_secrets(kind, texts))
    return {case_id: [s for p in sorted(ids) for s in secrets_of.get(p, [])] for case_id, ids in people_of.items()}


def _victims_by_case(case_ids: Iterable[int], people_ids: set[int]) -> dict[int, set[int]]:
    from casework.models import CaseParty

    people_of = {case_id: set(people_ids) for case_id in case_ids}
    victims = CaseParty.objects.filter(case_id__in=people_of, role=PartyRole.VICTIM).values_list("case_id", "person_id")
    for case_id, person_id in victims:
        people_of[case_id].add(person_id)
    return people_of


def _secrets(kind: str, texts: Iterable[str]) -> list[Secret]:
    label = str(dict(IdentifierKind.choices)[kind]).lower()
    return [Secret(text, label) for text in texts if text]


def sealed_here(case: Case, *, people: Iterable[Person] = ()) -> list[Secret]:
    """The details of the case's victims (and the given people) sealed in this case. Not those sealed in
    her other cases: refusing them here would confirm them to whoever may not read them (ADR 0007)."""
    from casework.models import PersonIdentifier

    ids = _victims_by_case([case.pk], {p.pk for p in people})[case.pk]
    rows = PersonIdentifier.objects.filter(case=case, sealed=True, person_id__in=ids)
    return [s for kind, *texts in rows.values_list("kind", "value", "normalised") for s in _secrets(kind, texts)]


def cases_redactor(case_ids: Iterable[int]) -> Redactor:
    """One redactor for the victims of several cases (e.g. an e-mail about alerts on them)."""
    return Redactor([s for secrets in _secrets_by_case(case_ids, set()).values() for s in secrets])


def victim_redactor(case: Case, *, people: Iterable[Person] = (), extra: Iterable[str] = ()) -> Redactor:
    """A redactor for the victims of the case and the given people (`victim_secrets`), plus `extra`
    texts (e.g. exclusion-zone addresses)."""
    return Redactor([*victim_secrets(case, people=people), *extra])


# --- What a reader receives --------------------------------------------------------------------------

NOTHING_WITHHELD = Redactor([])


def reader_redactors(user: User, cases: Iterable[Case]) -> dict[int, Redactor]:
    """For each case, what must be withheld from this reader: nothing from whoever may read its sealed
    details (the officer in the case, the unit's supervisors); from anyone else (a CPS lawyer, an
    advocate, another officer) every address and sealed detail of its victims, as a printed document.
    In two queries however many cases."""
    from accounts import policy

    cases = list(cases)
    hidden = [case.pk for case in cases if not policy.may(user, policy.Action.VIEW_SEALED_DETAILS, case)]
    secrets = _secrets_by_case(hidden, set()) if hidden else {}
    return {case.pk: Redactor(secrets[case.pk]) if case.pk in secrets else NOTHING_WITHHELD for case in cases}


def reader_redactor(user: User, case: Case) -> Redactor:
    return reader_redactors(user, [case])[case.pk]


def redact_data(data: Any, redact: Redactor) -> Any:
    """Every string in an API answer (dicts, lists, nested) passed through the redactor."""
    if isinstance(data, str):
        return redact(data)
    if isinstance(data, Mapping):
        return {key: redact_data(value, redact) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [redact_data(value, redact) for value in data]
    return data


def redacted_copy(record: M, redact: Redactor, fields: Iterable[str]) -> M:
    """A copy of a record for a page, its named free-text fields redacted. Display only: never pass it
    to a service (the copy keeps the record's id)."""
    copy = _copy.copy(record)
    for field in fields:
        setattr(copy, field, redact(getattr(record, field)))
    return copy


# --- Flagged at entry ----------------------------------------------------------------------------------

_DESCRIBE_AS = {"address": "her home", "phone number": "her phone", "e-mail address": "her e-mail"}


def sealed_text_errors(case: Case, texts: Mapping[str, str | None], *, people: Iterable[Person] = ()) -> dict[str, str]:
    """The free texts (field → text) that hold a detail of one of the case's victims (or of the given
    people) sealed in this case, each with a message naming the kind of detail, never the value."""
    texts = {field: text for field, text in texts.items() if text}
    if not texts:
        return {}
    found = Redactor(sealed_here(case, people=people)).found
    errors = {}
    for field, text in texts.items():
        kinds = found(text)
        if kinds:
            errors[field] = (
                f"This text contains the victim's sealed {kinds[0]}. Describe it instead (for example "
                f'"{_DESCRIBE_AS.get(kinds[0], "her details")}").'
            )
    return errors


def sealed_text_check(case: Case, texts: Mapping[str, str | None], *, people: Iterable[Person] = ()) -> None:
    """Refuse, before anything is saved, free text of a case that holds a victim's sealed detail: it
    would reach the lawyer, the advocate or a document served on the suspect. Rephrased at source."""
    errors = sealed_text_errors(case, texts, people=people)
    if errors:
        raise InvalidInput(errors)
