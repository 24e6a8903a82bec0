"""DASH scoring, grading, professional judgement, MARAC criteria and completion rules. Pure: no database."""

import pytest

from risk.questionnaires import DECLINED, NO, NOT_KNOWN, YES, builtin_forms_by_kind
from risk.scoring import (
    ESCALATION_CALLOUTS_DEFAULT,
    Thresholds,
    actuarial_grade,
    completion_errors,
    final_grade,
    marac_criteria,
    marac_referral_required,
    score,
)

FORMS = builtin_forms_by_kind()
DASH = FORMS["dash"]
ALL_DASH = [q.key for q in DASH.questions]
# Questions other than the stalking trigger (dash_8), so yes answers do not pull in the supplementary form.
NON_TRIGGER = [k for k in ALL_DASH if k != "dash_8"]


def dash_answers(yes=(), default=NO, **overrides):
    answers = {k: default for k in ALL_DASH}
    answers.update({k: YES for k in yes})
    answers.update(overrides)
    return answers


def with_yes_count(n):
    return dash_answers(yes=NON_TRIGGER[:n])


def all_answered(form_kind, value=NO):
    return {q.key: value for q in FORMS[form_kind].questions}


# ---- score and bands -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 9, 10, 13, 14, 26])
def test_score_counts_yes(n):
    assert score(with_yes_count(n), DASH) == n


def test_score_ignores_not_known_declined_and_foreign_keys():
    answers = dash_answers(yes=["dash_1"], dash_2=NOT_KNOWN, dash_3=DECLINED, sh_1=YES, other=YES)
    assert score(answers, DASH) == 1


def test_score_requires_dash_form():
    with pytest.raises(ValueError, match="DASH"):
        score({}, FORMS["sdash"])


@pytest.mark.parametrize(
    ("yes_count", "grade"),
    [(0, "standard"), (1, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (27, "high")],
)
def test_actuarial_grade_default_bands(yes_count, grade):
    assert actuarial_grade(yes_count) == grade
    assert actuarial_grade(yes_count, Thresholds()) == grade


@pytest.mark.parametrize(("yes_count", "grade"), [(7, "standard"), (8, "medium"), (11, "medium"), (12, "high")])
def test_actuarial_grade_configurable(yes_count, grade):
    assert actuarial_grade(yes_count, Thresholds(medium_from=8, high_from=12)) == grade


@pytest.mark.parametrize(("medium", "high"), [(10, 10), (14, 10), (0, 14)])
def test_thresholds_reject_nonsense(medium, high):
    with pytest.raises(ValueError):
        Thresholds(medium_from=medium, high_from=high)


def test_actuarial_grade_rejects_negative():
    with pytest.raises(ValueError):
        actuarial_grade(-1)


# ---- professional judgement ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actuarial", "judgement", "rationale", "grade", "error"),
    [
        ("standard", None, "", "standard", None),
        ("medium", "", "", "medium", None),
        ("standard", "high", "Threats to kill and recent separation.", "high", None),
        ("medium", "high", "Non-fatal strangulation last week.", "high", None),
        ("standard", "medium", "Stalking since separation.", "medium", None),
        ("high", "high", "", "high", None),
        ("standard", "high", "   ", "standard", "needs a written professional-judgement rationale"),
        ("high", "medium", "Victim says it is fine now.", "high", "cannot lower the grade from high to medium"),
        ("high", "standard", "x", "high", "cannot lower"),
        ("medium", "standard", "x", "medium", "cannot lower the grade from medium to standard"),
        ("medium", "severe", "x", "medium", "Unknown grade 'severe'"),
    ],
)
def test_final_grade(actuarial, judgement, rationale, grade, error):
    result, errors = final_grade(actuarial, judgement, rationale)
    assert result == grade
    if error is None:
        assert errors == []
    else:
        assert len(errors) == 1 and error in errors[0]


# ---- MARAC criteria --------------------------------------------------------------------------------


def criteria(yes_count=0, grade="standard", raised=False, callouts=0, repeat=False, **kw):
    return {c.name: c for c in marac_criteria(yes_count, grade, raised, callouts, repeat, **kw)}


@pytest.mark.parametrize(
    ("kwargs", "met"),
    [
        ({}, set()),
        ({"yes_count": 14, "grade": "high"}, {"visible_high_risk"}),
        ({"yes_count": 13, "grade": "medium"}, set()),
        ({"yes_count": 8, "grade": "high", "raised": True}, {"professional_judgement"}),
        ({"yes_count": 8, "grade": "medium", "raised": True}, set()),
        ({"callouts": 3}, {"potential_escalation"}),
        ({"callouts": 2}, set()),
        ({"repeat": True}, {"repeat_marac"}),
        ({"callouts": 2, "escalation_callouts": 2}, {"potential_escalation"}),
        ({"yes_count": 12, "thresholds": Thresholds(10, 12), "grade": "high"}, {"visible_high_risk"}),
    ],
)
def test_marac_criteria_each(kwargs, met):
    result = criteria(**kwargs)
    assert list(result) == ["visible_high_risk", "professional_judgement", "potential_escalation", "repeat_marac"]
    assert {name for name, c in result.items() if c.met} == met
    assert all(c.reason for c in result.values())
    assert marac_referral_required(list(result.values())) == bool(met)


def test_escalation_default_and_reason():
    assert ESCALATION_CALLOUTS_DEFAULT == 3
    c = criteria(callouts=4)["potential_escalation"]
    assert c.met and "4" in c.reason and "3" in c.reason


# ---- completion rules ------------------------------------------------------------------------------


def complete(**kw):
    args = {
        "dash_answers": dash_answers(),
        "supplementary_answers": None,
        "sdash_answers": None,
        "forms": FORMS,
        "grade": "standard",
        "has_plan": False,
    }
    args.update(kw)
    return completion_errors(**args)


def test_complete_dash_is_completable():
    assert complete() == {}
    assert complete(dash_answers=dash_answers(default=NOT_KNOWN, dash_1=DECLINED)) == {}


def test_rule_a_dash_unanswered_numbers():
    answers = dash_answers()
    del answers["dash_3"]
    answers["dash_12"] = ""
    answers["dash_27"] = "  "
    assert complete(dash_answers=answers) == {"dash": ["DASH questions not answered: 3, 12, 27."]}


def test_rule_a_invalid_answer_value():
    errors = complete(dash_answers=dash_answers(dash_5="maybe"))
    assert errors["dash"][0].startswith("Question 5 has an invalid answer 'maybe'")
    assert errors["dash"][1] == "DASH questions not answered: 5."


def test_rule_a_no_dash_at_all():
    assert "dash" in complete(dash_answers=None)


def test_rule_a_included_supplementary_must_be_complete():
    supp = all_answered("stalking_supplementary")
    del supp["sh_4"]
    errors = complete(supplementary_answers=supp)
    assert errors == {
        "stalking_supplementary": [
            "Stalking and harassment supplementary questions included but incomplete; not answered: 4."
        ]
    }


def test_rule_b_trigger_yes_requires_all_eleven():
    errors = complete(dash_answers=dash_answers(yes=["dash_8"]))
    assert errors == {
        "stalking_supplementary": [
            "DASH question 8 is yes, so all 11 stalking and harassment supplementary questions are required; "
            "not answered: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11."
        ]
    }


def test_rule_b_names_the_missing_numbers():
    supp = all_answered("stalking_supplementary", YES)
    for k in ("sh_2", "sh_9", "sh_11"):
        del supp[k]
    errors = complete(dash_answers=dash_answers(yes=["dash_8"]), supplementary_answers=supp)
    assert errors["stalking_supplementary"][0].endswith("not answered: 2, 9, 11.")


@pytest.mark.parametrize("trigger_answer", [NO, NOT_KNOWN, DECLINED])
def test_rule_b_not_triggered_unless_yes(trigger_answer):
    assert complete(dash_answers=dash_answers(dash_8=trigger_answer)) == {}


def test_rule_b_satisfied():
    errors = complete(
        dash_answers=dash_answers(yes=["dash_8"]),
        supplementary_answers=all_answered("stalking_supplementary", DECLINED),
    )
    assert errors == {}


def test_rule_c_sdash_alone_cannot_complete():
    errors = complete(dash_answers=None, sdash_answers=all_answered("sdash", YES))
    assert list(errors) == ["victim_impact"]
    assert "S-DASH" in errors["victim_impact"][0]
    assert errors["victim_impact"][0].endswith("victim-impact questions 2, 3, 4, 5.")


def test_rule_c_sdash_with_victim_impact_is_enough():
    impact = {"dash_2": YES, "dash_3": NO, "dash_4": NOT_KNOWN, "dash_5": DECLINED}
    assert complete(dash_answers=impact, sdash_answers=all_answered("sdash")) == {}


def test_rule_c_sdash_with_partial_victim_impact_names_missing():
    errors = complete(dash_answers={"dash_2": YES, "dash_4": NO}, sdash_answers=all_answered("sdash"))
    assert errors == {"victim_impact": ["DASH victim-impact questions not answered: 3, 5 (required with an S-DASH)."]}


def test_rule_a_sdash_incomplete():
    sdash = all_answered("sdash")
    del sdash["sdash_1"], sdash["sdash_10"]
    errors = complete(sdash_answers=sdash)
    assert errors == {"sdash": ["S-DASH screening questions not answered: 1, 10."]}


@pytest.mark.parametrize(
    ("grade", "has_plan", "expected"),
    [
        ("standard", False, {}),
        ("medium", True, {}),
        ("high", True, {}),
        (
            "medium",
            False,
            {"risk_management_plan": ["A medium-risk assessment needs a risk management plan before completion."]},
        ),
        (
            "high",
            False,
            {"risk_management_plan": ["A high-risk assessment needs a risk management plan before completion."]},
        ),
    ],
)
def test_rule_d_plan_for_medium_and_high(grade, has_plan, expected):
    assert complete(grade=grade, has_plan=has_plan) == expected


def test_invalid_grade():
    assert "grade" in complete(grade="")


# ---- journey ---------------------------------------------------------------------------------------


def test_journey_fifteen_yes_is_high_and_needs_marac():
    answers = dash_answers(yes=NON_TRIGGER[:14] + ["dash_8"])
    yes_count = score(answers, DASH)
    assert yes_count == 15
    actuarial = actuarial_grade(yes_count)
    assert actuarial == "high"
    grade, errors = final_grade(actuarial, "medium", "Victim minimises.")
    assert (grade, len(errors)) == ("high", 1)
    result = marac_criteria(yes_count, grade, False, 1, False)
    assert marac_referral_required(result)
    assert [c.name for c in result if c.met] == ["visible_high_risk"]
    # Q8 yes: the supplementary questions and a plan are needed before completion.
    errors = completion_errors(
        dash_answers=answers, supplementary_answers=None, sdash_answers=None, forms=FORMS, grade=grade, has_plan=False
    )
    assert set(errors) == {"stalking_supplementary", "risk_management_plan"}
    errors = completion_errors(
        dash_answers=answers,
        supplementary_answers=all_answered("stalking_supplementary", YES),
        sdash_answers=None,
        forms=FORMS,
        grade=grade,
        has_plan=True,
    )
    assert errors == {}
