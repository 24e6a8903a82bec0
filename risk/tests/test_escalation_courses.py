"""Table-driven: each synthetic course of conduct (risk/tests/escalation_courses.py) reaches its level,
and its reasons say what it rests on, citing incidents by their number in the case."""

import pytest

from risk.escalation import LEVELS, builtin_rules, detect
from risk.tests.escalation_courses import COURSES


def test_there_are_at_least_twenty_courses_reaching_every_level() -> None:
    assert len(COURSES) >= 20
    assert {course.level for course in COURSES} == set(LEVELS)


@pytest.mark.parametrize("course", COURSES, ids=[course.name for course in COURSES])
def test_course_reaches_its_level_with_its_reasons(course) -> None:
    result = detect(course.facts, builtin_rules())
    assert result.level == course.level, (result.score, result.reasons)
    said = " | ".join(result.reasons)
    for words in course.words:
        assert words in said, (words, result.reasons)
    assert result.score == sum(signal.weight for signal in result.signals)
    assert result.level_meaning == builtin_rules().level_meaning[result.level]
