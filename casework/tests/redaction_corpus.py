"""The redaction corpus: a victim's sealed address, phone and e-mail, the ways an officer might write them in
a narrative, and ordinary sentences that must come out unchanged. Shared by the pure tests
(casework/tests/test_redaction.py) and the output tests (tests/test_redaction_outputs.py)."""

from casework.redaction import Secret

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
