"""The redaction corpus: a victim's sealed address, postcode, phone and e-mail written every way an officer
might type them, each withheld whole; ordinary sentences left exactly as they were (casework/redaction.py,
pure: no database)."""

import pytest

from casework.redaction import WITHHELD, AddressKey, Redactor, Secret, address_key, redact_data, secret_label

ADDRESS = "Flat 2, 17 Hiddenway Close, Harborne, Birmingham B12 9QX"
PHONE = "07700 900102"
EMAIL = "Jane.Doe@Example.com"
SECRETS = [Secret(ADDRESS, "address"), Secret(PHONE, "phone number"), Secret(EMAIL, "e-mail address")]

# Each variant as it might appear in a narrative, with what must be gone from the result.
VARIANTS = [
    ("She now lives at Flat 2, 17 Hiddenway Close, Harborne, Birmingham B12 9QX.", "Hiddenway"),
    ("He went to 17 Hiddenway Close last night", "Hiddenway"),
    ("He went to 17 Hiddenway Cl last night", "Hiddenway"),
    ("He went to 17 hiddenway cl. last night", "hiddenway"),
    ("He went to 17 HIDDENWAY CLOSE last night", "HIDDENWAY"),
    ("He went to 17, Hiddenway Close last night", "Hiddenway"),
    ("He went to 17  Hiddenway   Close last night", "Hiddenway"),
    ("He went to 17 Hiddenway last night", "Hiddenway"),
    ("He went to 17-19 Hiddenway Close last night", "Hiddenway"),
    ("He went to 17a Hiddenway Close last night", "Hiddenway"),
    ("He waited on Hiddenway Close for an hour", "Hiddenway"),
    ("He waited on Hiddenway Cl for an hour", "Hiddenway"),
    ("Flat 2 17 Hiddenway Close B12 9QX", "Hiddenway"),
    ("Her postcode is B12 9QX.", "9QX"),
    ("Her postcode is B129QX.", "129QX"),
    ("her postcode is b12 9qx", "9qx"),
    ("Her postcode is B12  9QX", "9QX"),
    ("Her postcode is (b129qx)", "b129qx"),
    ("He rang her on 07700 900102 twice", "900102"),
    ("He rang her on 07700900102 twice", "900102"),
    ("He rang her on +44 7700 900102 twice", "900102"),
    ("He rang her on +44 (0)7700-900-102 twice", "900"),
    ("He rang her on +447700900102 twice", "900102"),
    ("He rang her on 0044 7700 900102 twice", "900102"),
    ("He rang her on 07700-900-102 twice", "900"),
    ("He rang her on 07700.900.102 twice", "900"),
    ("He rang her on (07700) 900102 twice", "900102"),
    ("He rang her on 077 00 90 01 02 twice", "90 01 02"),
    ("He wrote to Jane.Doe@Example.com yesterday", "Example.com"),
    ("He wrote to jane.doe@example.com yesterday", "example.com"),
    ("He wrote to JANE.DOE@EXAMPLE.COM yesterday", "EXAMPLE.COM"),
    ("He wrote to <jane.doe@example.com>, again", "example.com"),
    ("mailto:jane.doe@example.com.", "example.com"),
]

ORDINARY = [
    "He drove along the Road to the Close and parked by the Green.",
    "Flat 2 was empty when officers arrived.",
    "In 2017 he phoned 999 and 101 on the same night.",
    "He sent 17 messages from a withheld number.",
    "She works on the High Street in Harborne.",
    "The number 7700 appears on his vehicle.",
    "He rang 07700 900103, a different number, at 21:00.",
    "He e-mailed john.doe@example.com about the car.",
    "Officers attended 18 Hiddenway Road, his mother's house.",
    "The hearing is at Birmingham Magistrates' Court, B4 6QA.",
    "He waited 17 minutes, then walked away.",
    "He wrote 'see you soon' on 12.04.2026 at 07:00.",
]


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
