"""The redaction corpus: a victim's sealed address, postcode, phone and e-mail written every way an officer
might type them, each withheld whole; ordinary sentences left exactly as they were (casework/redaction.py,
pure: no database)."""

import pytest

from casework.redaction import WITHHELD, AddressKey, Redactor, address_key, redact_data, secret_label
from casework.tests.redaction_corpus import ADDRESS, EMAIL, ORDINARY, PHONE, SECRETS, VARIANTS


@pytest.fixture(scope="module")
def redact():
    return Redactor(SECRETS)


@pytest.mark.parametrize(("text", "gone"), VARIANTS)
def test_it_withholds_every_way_the_secret_is_written(redact, text, gone):
    redacted = redact(text)
    assert WITHHELD in redacted
    assert gone not in redacted
    assert redact.found(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_it_leaves_ordinary_sentences_exactly_as_they_were(redact, text):
    assert redact(text) == text
    assert redact.found(text) == []


def test_the_corpus_is_as_large_as_the_rule_says():
    assert len(VARIANTS) >= 30 and len(ORDINARY) >= 10


def test_a_whole_address_is_withheld_as_one_and_the_words_around_it_are_kept(redact):
    assert redact(f"She moved to {ADDRESS} in May") == f"She moved to {WITHHELD} in May"
    assert redact("He went to 17 Hiddenway Cl, then home") == f"He went to {WITHHELD}, then home"
    assert redact("Ring +44 (0)7700-900-102 now") == f"Ring {WITHHELD} now"


def test_it_names_the_kind_of_secret_found_and_never_the_value(redact):
    assert redact.found("at 17 Hiddenway Cl, ring 07700900102") == ["address", "phone number"]
    assert redact.found("JANE.DOE@EXAMPLE.COM") == ["e-mail address"]


def test_a_bare_secret_is_labelled_by_its_form():
    assert secret_label(PHONE) == "phone number"
    assert secret_label(EMAIL) == "e-mail address"
    assert secret_label(ADDRESS) == "address"
    assert secret_label("@janedoe") == "details"


def test_one_short_word_is_never_a_secret():
    redact = Redactor(["Flat", "1"])
    assert redact("Flat 1 was empty") == "Flat 1 was empty"
    assert Redactor([])("anything") == "anything"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (ADDRESS, AddressKey("17", "hiddenway", "close", "B129QX", "B12 9")),
        ("17 hiddenway cl b129qx", AddressKey("17", "hiddenway", "close", "B129QX", "B12 9")),
        ("17-19 St John's Rd, Selly Oak", AddressKey("17-19", "st johns", "road", "", "")),
        ("4 Saint Johns Road", AddressKey("4", "st johns", "road", "", "")),
        ("12 Church Hill Road", AddressKey("12", "church hill", "road", "", "")),
        ("Rose Cottage, Mill Lane, Kings Heath", AddressKey("", "mill", "lane", "", "")),
        ("3 The Green", AddressKey("3", "the green", "", "", "")),
        ("9 Larch Gdns, b17 9qt", AddressKey("9", "larch", "gardens", "B179QT", "B17 9")),
        ("B12 9QX", AddressKey("", "", "", "B129QX", "B12 9")),
    ],
)
def test_it_reads_the_key_of_a_uk_address(text, key):
    assert address_key(text) == key


def test_text_without_a_street_or_postcode_has_no_key():
    assert address_key("somewhere in Harborne") is None
    assert address_key("") is None


def test_the_same_address_typed_two_ways_has_the_same_key():
    assert address_key("17 Hiddenway Close, B12 9QX") == address_key("17, HIDDENWAY CL.  b129qx")


def test_every_string_of_an_api_answer_is_redacted(redact):
    data = {"note": "at 17 Hiddenway Cl", "items": [{"answer": "rang 07700900102", "id": 3}], "n": 1}
    assert redact_data(data, redact) == {
        "note": f"at {WITHHELD}",
        "items": [{"answer": f"rang {WITHHELD}", "id": 3}],
        "n": 1,
    }
