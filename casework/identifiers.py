"""Normalising names and identifiers, so the same person is found however they were typed."""

import re
import unicodedata

import phonenumbers

from casework.choices import IdentifierKind

_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", ascii_only)).strip()


def normalise_name(first_name: str, last_name: str = "") -> str:
    """'Siân O'Neill' → 'o neill sian': surname first, so a surname prefix search uses the index."""
    return _fold(f"{last_name} {first_name}")


def normalise_surname(last_name: str) -> str:
    return _fold(last_name)


def normalise_full_name(full_name: str) -> str:
    """An alias typed as one string: the last word is taken as the surname."""
    words = _fold(full_name).split(" ")
    return " ".join([words[-1], *words[:-1]]) if words != [""] else ""


class InvalidIdentifier(ValueError):
    pass


def normalise_identifier(kind: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidIdentifier("Enter a value")
    if kind == IdentifierKind.PHONE:
        try:
            number = phonenumbers.parse(value, "GB")
        except phonenumbers.NumberParseException as exc:
            raise InvalidIdentifier(f"{value!r} is not a phone number") from exc
        if not phonenumbers.is_possible_number(number):
            raise InvalidIdentifier(f"{value!r} is not a possible phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind == IdentifierKind.EMAIL:
        if value.count("@") != 1 or "." not in value.split("@")[1]:
            raise InvalidIdentifier(f"{value!r} is not an e-mail address")
        return value.casefold()
    if kind == IdentifierKind.HANDLE:
        return value.lstrip("@").lower()
    if kind == IdentifierKind.VEHICLE:
        return re.sub(r"[^A-Z0-9]", "", value.upper())
    if kind == IdentifierKind.ADDRESS:
        return _fold(value)
    raise InvalidIdentifier(f"Unknown identifier kind {kind!r}")
