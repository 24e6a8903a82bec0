"""Counting-rule warnings: pure, no database. Each row is one proposed record and the warnings it should draw."""

from __future__ import annotations

from typing import Any

import pytest

from casework.choices import Relationship
from recording import counting_rules as r
from recording.advice import advise
from recording.choices import Classification as C
from recording.choices import Offence as O
from recording.counting_rules import Warning, check_record
from recording.tests.test_advice import GYM, MESSAGES, NEIGHBOUR, SINGLE

GYM_ADVICE = advise(GYM)
NEIGHBOUR_ADVICE = advise(NEIGHBOUR)
MESSAGES_ADVICE = advise(MESSAGES)
SINGLE_ADVICE = advise(SINGLE)


def check(classification: str, offence: str, **kwargs: Any) -> list[Warning]:
    params: dict[str, Any] = {
        "other_offences": [],
        "course_of_conduct": True,
        "relationship": Relationship.STRANGER,
        "relationship_ended": False,
        "advice": None,
    }
    return check_record(proposed_classification=classification, proposed_offence=offence, **{**params, **kwargs})


ROWS: list[tuple[str, str, str, dict[str, Any], list[str]]] = [
    # (a) principal crime: s.4A (10 years) outranks assault up to s.20 (5 years); s.18 (life) outranks s.4A.
    ("abh_with_s4a", C.ASSAULT_WITH_INJURY, O.ABH, {"other_offences": [O.PHA_S4A]}, [r.PRINCIPAL_CRIME]),
    ("s20_with_s4a", C.ASSAULT_WITH_INJURY, O.WOUNDING, {"other_offences": [O.PHA_S4A]}, [r.PRINCIPAL_CRIME]),
    (
        "common_with_s4a",
        C.ASSAULT_WITHOUT_INJURY,
        O.COMMON_ASSAULT,
        {"other_offences": [O.PHA_S4A]},
        [r.PRINCIPAL_CRIME],
    ),
    ("abh_advised_s4a", C.ASSAULT_WITH_INJURY, O.ABH, {"advice": NEIGHBOUR_ADVICE}, [r.PRINCIPAL_CRIME]),
    ("s18_with_s4a", C.ASSAULT_INTENT_SERIOUS_HARM, O.WOUNDING_WITH_INTENT, {"other_offences": [O.PHA_S4A]}, []),
    ("s4a_with_abh", C.STALKING, O.PHA_S4A, {"other_offences": [O.ABH]}, []),
    ("s4a_with_s18", C.STALKING, O.PHA_S4A, {"other_offences": [O.WOUNDING_WITH_INTENT]}, [r.PRINCIPAL_CRIME]),
    ("abh_with_s2a", C.ASSAULT_WITH_INJURY, O.ABH, {"other_offences": [O.PHA_S2A]}, [r.STALKING_NOT_PRINCIPAL]),
    ("common_with_s2a_tie", C.ASSAULT_WITHOUT_INJURY, O.COMMON_ASSAULT, {"other_offences": [O.PHA_S2A]}, []),
    ("s2_with_abh", C.HARASSMENT, O.PHA_S2, {"other_offences": [O.ABH]}, [r.PRINCIPAL_CRIME]),
    ("unknown_offence", C.ASSAULT_WITH_INJURY, "", {"other_offences": [O.PHA_S4A]}, []),
    # (b) course of conduct: harassment rather than malicious communications.
    (
        "mca_course",
        C.MALICIOUS_COMMUNICATIONS,
        O.MALICIOUS_COMMUNICATIONS,
        {},
        [r.MALICIOUS_COMMUNICATIONS_WITH_COURSE],
    ),
    ("s127_course", C.MALICIOUS_COMMUNICATIONS, O.IMPROPER_USE_NETWORK, {}, [r.MALICIOUS_COMMUNICATIONS_WITH_COURSE]),
    (
        "mca_advice_course",
        C.MALICIOUS_COMMUNICATIONS,
        O.MALICIOUS_COMMUNICATIONS,
        {"course_of_conduct": False, "advice": MESSAGES_ADVICE},
        [r.MALICIOUS_COMMUNICATIONS_WITH_COURSE],
    ),
    (
        "mca_with_s2a",
        C.MALICIOUS_COMMUNICATIONS,
        O.MALICIOUS_COMMUNICATIONS,
        {"other_offences": [O.PHA_S2A], "advice": GYM_ADVICE},
        [r.MALICIOUS_COMMUNICATIONS_WITH_COURSE],
    ),
    ("mca_single", C.MALICIOUS_COMMUNICATIONS, O.MALICIOUS_COMMUNICATIONS, {"course_of_conduct": False}, []),
    # (c) controlling or coercive behaviour needs a personal connection; after separation, take care.
    (
        "ccb_ended",
        C.CONTROLLING_COERCIVE,
        O.CONTROLLING_COERCIVE,
        {"relationship": Relationship.EX_PARTNER, "relationship_ended": True},
        [r.CCB_AFTER_SEPARATION],
    ),
    ("ccb_current", C.CONTROLLING_COERCIVE, O.CONTROLLING_COERCIVE, {"relationship": Relationship.CURRENT_PARTNER}, []),
    ("ccb_stranger", C.CONTROLLING_COERCIVE, O.CONTROLLING_COERCIVE, {}, [r.CCB_NOT_PERSONALLY_CONNECTED]),
    ("ccb_unknown", C.CONTROLLING_COERCIVE, "", {"relationship": ""}, [r.CCB_NOT_PERSONALLY_CONNECTED]),
    # (d) harassment proposed where the pattern looks like stalking.
    ("s2_gym", C.HARASSMENT, O.PHA_S2, {"advice": GYM_ADVICE}, [r.LOOKS_LIKE_STALKING]),
    ("s2_messages", C.HARASSMENT, O.PHA_S2, {"advice": MESSAGES_ADVICE}, []),
    ("s2a_gym", C.STALKING, O.PHA_S2A, {"advice": GYM_ADVICE}, []),
    ("s2a_neighbour", C.STALKING, O.PHA_S2A, {"advice": NEIGHBOUR_ADVICE}, [r.S4A_AVAILABLE]),
    ("s4a_neighbour", C.STALKING, O.PHA_S4A, {"advice": NEIGHBOUR_ADVICE}, []),
    # One occasion is not a course of conduct; an offence filed under the wrong code.
    (
        "s2a_single",
        C.STALKING,
        O.PHA_S2A,
        {"course_of_conduct": False, "advice": SINGLE_ADVICE},
        [r.NO_COURSE_OF_CONDUCT],
    ),
    ("s2_as_8q", C.STALKING, O.PHA_S2, {}, [r.CLASSIFICATION_MISMATCH]),
]


@pytest.mark.parametrize(
    ("classification", "offence", "kwargs", "codes"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS]
)
def test_it_warns_as_the_counting_rules_say(
    classification: str, offence: str, kwargs: dict[str, Any], codes: list[str]
) -> None:
    warnings = check(classification, offence, **kwargs)
    assert [w.code for w in warnings] == codes
    assert all(w.message for w in warnings)


def test_it_names_stalking_as_the_principal_crime_over_assault() -> None:
    [warning] = check(C.ASSAULT_WITH_INJURY, O.ABH, other_offences=[O.PHA_S4A])
    assert warning.message.startswith("Record stalking (8Q) as the principal crime")
    assert "maximum 10 years" in warning.message and "maximum 5 years" in warning.message


def test_it_names_the_graver_offence_when_it_is_not_stalking() -> None:
    [warning] = check(C.STALKING, O.PHA_S4A, other_offences=[O.WOUNDING_WITH_INTENT, O.ABH])
    assert warning.message.startswith("Record Wounding or GBH with intent (OAPA 1861 s.18) (5D)")
    assert "maximum life" in warning.message


def test_it_cites_the_advice_when_harassment_looks_like_stalking() -> None:
    [warning] = check(C.HARASSMENT, O.PHA_S2, advice=GYM_ADVICE)
    assert warning.message.startswith("The pattern looks like stalking: s.2A(3)(a) following (incident 1)")
    assert "(incidents 2, 3)" in warning.message


def test_it_explains_ccb_after_separation_and_suggests_stalking() -> None:
    [warning] = check(
        C.CONTROLLING_COERCIVE, O.CONTROLLING_COERCIVE, relationship="ex_partner", relationship_ended=True
    )
    assert "personally connected" in warning.message and "stalking (8Q" in warning.message


def test_it_prefers_stalking_over_malicious_communications_when_the_advice_does() -> None:
    [warning] = check(C.MALICIOUS_COMMUNICATIONS, O.MALICIOUS_COMMUNICATIONS, advice=GYM_ADVICE)
    assert "record stalking (8Q)" in warning.message and "recommendation 2" in warning.message


def test_it_marks_an_unconfirmed_maximum() -> None:
    [warning] = check(
        C.MALICIOUS_COMMUNICATIONS, O.MALICIOUS_COMMUNICATIONS, other_offences=[O.PHA_S4A], course_of_conduct=False
    )
    assert warning.code == r.PRINCIPAL_CRIME and "2 years, unconfirmed" in warning.message


def test_it_returns_nothing_for_a_sound_record() -> None:
    assert check(C.STALKING, O.PHA_S2A, advice=GYM_ADVICE, other_offences=[O.COMMON_ASSAULT]) == []
