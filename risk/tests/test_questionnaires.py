"""Form definitions load, validate and carry the expected structure. Pure: no database."""

import json

import pytest

from risk.questionnaires import (
    FORMS_DIR,
    KNOWN_TRIGGERS,
    TRIGGER_STALKING_SUPPLEMENTARY,
    FormDefinitionError,
    builtin_forms,
    builtin_forms_by_kind,
    load_form,
)


@pytest.fixture(scope="module")
def forms():
    return builtin_forms_by_kind()


@pytest.mark.parametrize(
    ("kind", "count", "sections"),
    [
        ("dash", 27, ["current_situation", "children_dependants", "domestic_abuse_history", "abuser"]),
        ("stalking_supplementary", 11, ["stalking_harassment"]),
        ("sdash", 11, ["screening"]),
    ],
)
def test_builtin_forms_load_with_expected_shape(forms, kind, count, sections):
    form = forms[kind]
    assert form.kind == kind
    assert len(form.questions) == count
    assert [s.key for s in form.sections] == sections
    assert [q.number for q in form.questions] == [str(n) for n in range(1, count + 1)]
    assert len(set(form.question_keys())) == count
    assert all(q.answer_type == "ynkd" and q.text.strip() for q in form.questions)


def test_three_builtin_forms_with_unique_versions():
    forms = builtin_forms()
    assert len(forms) == 3
    assert len({(f.key, f.version) for f in forms}) == 3


def test_question_keys_unique_across_forms():
    keys = [q.key for f in builtin_forms() for q in f.questions]
    assert len(keys) == len(set(keys))


def test_dash_sections_hold_the_expected_numbers(forms):
    by_section = {}
    for q in forms["dash"].questions:
        by_section.setdefault(q.section, []).append(int(q.number))
    assert by_section == {
        "current_situation": list(range(1, 9)),
        "children_dependants": list(range(9, 13)),
        "domestic_abuse_history": list(range(13, 23)),
        "abuser": list(range(23, 28)),
    }


def test_exactly_one_dash_question_triggers_supplementary_form(forms):
    triggering = forms["dash"].questions_triggering(TRIGGER_STALKING_SUPPLEMENTARY)
    assert [q.key for q in triggering] == ["dash_8"]
    for kind in ("stalking_supplementary", "sdash"):
        assert not forms[kind].questions_triggering(TRIGGER_STALKING_SUPPLEMENTARY)


def test_victim_impact_block(forms):
    assert [q.key for q in forms["dash"].victim_impact_questions] == ["dash_2", "dash_3", "dash_4", "dash_5"]
    assert not forms["sdash"].victim_impact_questions


def test_unconfirmed_marks_follow_research(forms):
    dash = forms["dash"]
    assert [int(q.number) for q in dash.questions if q.unconfirmed] == list(range(12, 28))
    assert not any(q.unconfirmed for q in forms["stalking_supplementary"].questions)


def test_paraphrase_source_notes(forms):
    for form in forms.values():
        assert "paraphrase" in form.source_note.lower()


def _valid():
    return json.loads((FORMS_DIR / "stalking-supplementary-v1.json").read_text())


def _write(tmp_path, data):
    path = tmp_path / "form.json"
    path.write_text(json.dumps(data))
    return path


def _dup_key(d):
    d["questions"][1]["key"] = d["questions"][0]["key"]


def _bad_section(d):
    d["questions"][2]["section"] = "nowhere"


def _bad_answer_type(d):
    d["questions"][0]["answer_type"] = "free_text_maybe"


def _bad_trigger(d):
    d["questions"][0]["triggers"] = ["hbv_form_x"]


def _missing_field(d):
    del d["questions"][0]["high_risk"]


def _bad_kind(d):
    d["kind"] = "sash"


def _dup_number(d):
    d["questions"][1]["number"] = "1"


def _no_questions(d):
    d["questions"] = []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_dup_key, "duplicate question key 'sh_1'"),
        (_dup_number, "duplicate question number '1'"),
        (_bad_section, "unknown section 'nowhere'"),
        (_bad_answer_type, "unknown answer type 'free_text_maybe'"),
        (_bad_trigger, "unknown trigger 'hbv_form_x'"),
        (_missing_field, "missing field 'high_risk'"),
        (_bad_kind, "unknown kind 'sash'"),
        (_no_questions, "'questions' must be a non-empty list"),
    ],
)
def test_load_form_rejects_invalid_definitions(tmp_path, mutate, message):
    data = _valid()
    mutate(data)
    with pytest.raises(FormDefinitionError, match="form.json") as exc:
        load_form(_write(tmp_path, data))
    assert message in str(exc.value)


def test_load_form_accepts_valid_and_rejects_bad_json(tmp_path):
    assert len(load_form(_write(tmp_path, _valid())).questions) == 11
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(FormDefinitionError, match="not valid JSON"):
        load_form(bad)


def test_known_triggers_cover_builtin_forms():
    used = {t for f in builtin_forms() for q in f.questions for t in q.triggers}
    assert used <= set(KNOWN_TRIGGERS)
