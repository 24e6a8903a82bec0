"""Risk questionnaires (DASH, the stalking supplementary questions, the S-DASH screening tool) as data.

Pure loading and validation of the JSON form definitions in ``risk/form_versions/``; no database. Each file is one
version of one form. The question texts are the project's own paraphrase of the topics, never the licensed
wording; a force can load its licensed text as a new version with the same schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMS_DIR = Path(__file__).resolve().parent / "form_versions"

# Answer values for the "ynkd" answer type (yes / no / not known / declined, each with optional details).
YES = "yes"
NO = "no"
NOT_KNOWN = "not_known"
DECLINED = "declined"
ANSWER_VALUES: tuple[str, ...] = (YES, NO, NOT_KNOWN, DECLINED)

ANSWER_TYPES: dict[str, tuple[str, ...]] = {"ynkd": ANSWER_VALUES}

KIND_DASH = "dash"
KIND_STALKING_SUPPLEMENTARY = "stalking_supplementary"
KIND_SDASH = "sdash"
FORM_KINDS: tuple[str, ...] = (KIND_DASH, KIND_STALKING_SUPPLEMENTARY, KIND_SDASH)

# Follow-up triggers a "yes" can fire. The stalking one makes the supplementary form mandatory before the
# assessment can be completed; the honour-based abuse one is a prompt only (no form is modelled yet).
TRIGGER_STALKING_SUPPLEMENTARY = "stalking_supplementary"
TRIGGER_HBV_FORCED_MARRIAGE = "hbv_forced_marriage"
KNOWN_TRIGGERS: tuple[str, ...] = (TRIGGER_STALKING_SUPPLEMENTARY, TRIGGER_HBV_FORCED_MARRIAGE)


class FormDefinitionError(ValueError):
    """A form definition file does not match the schema. The message names the file and every problem."""


@dataclass(frozen=True)
class Section:
    key: str
    title: str


@dataclass(frozen=True)
class Question:
    number: str
    key: str
    section: str
    text: str
    help: str
    answer_type: str
    high_risk: bool
    victim_impact: bool
    triggers: tuple[str, ...]
    unconfirmed: bool


@dataclass(frozen=True)
class FormDefinition:
    key: str
    version: str
    title: str
    kind: str
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    source_note: str = ""

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)

    def question_keys(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.questions)

    @property
    def victim_impact_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.victim_impact)

    def questions_triggering(self, trigger: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if trigger in q.triggers)


_FORM_FIELDS = {"key": str, "version": str, "title": str, "kind": str, "source_note": str}
_QUESTION_FIELDS = {
    "number": str,
    "key": str,
    "section": str,
    "text": str,
    "help": str,
    "answer_type": str,
    "high_risk": bool,
    "victim_impact": bool,
    "triggers": list,
    "unconfirmed": bool,
}


def _check_fields(obj: Any, fields: dict[str, type], where: str, errors: list[str]) -> bool:
    if not isinstance(obj, dict):
        errors.append(f"{where}: expected an object")
        return False
    ok = True
    for name, typ in fields.items():
        if name not in obj:
            errors.append(f"{where}: missing field {name!r}")
            ok = False
        elif not isinstance(obj[name], typ):
            errors.append(f"{where}: field {name!r} must be {typ.__name__}")
            ok = False
        elif typ is str and name not in ("help", "source_note") and not obj[name].strip():
            errors.append(f"{where}: field {name!r} must not be blank")
            ok = False
    return ok


def parse_form(data: Any, source: str = "<form>") -> FormDefinition:
    """Validate a decoded form definition and build it. Raises FormDefinitionError listing every problem."""
    errors: list[str] = []
    if not _check_fields(data, _FORM_FIELDS, source, errors):
        raise FormDefinitionError("; ".join(errors))
    if data["kind"] not in FORM_KINDS:
        errors.append(f"{source}: unknown kind {data['kind']!r} (known: {', '.join(FORM_KINDS)})")

    sections: list[Section] = []
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        errors.append(f"{source}: 'sections' must be a non-empty list")
        raw_sections = []
    for i, raw in enumerate(raw_sections):
        if _check_fields(raw, {"key": str, "title": str}, f"{source}: section {i + 1}", errors):
            if any(s.key == raw["key"] for s in sections):
                errors.append(f"{source}: duplicate section key {raw['key']!r}")
            sections.append(Section(key=raw["key"], title=raw["title"]))
    section_keys = {s.key for s in sections}

    questions: list[Question] = []
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        errors.append(f"{source}: 'questions' must be a non-empty list")
        raw_questions = []
    seen_keys: set[str] = set()
    seen_numbers: set[str] = set()
    for i, raw in enumerate(raw_questions):
        where = f"{source}: question {i + 1}"
        if not _check_fields(raw, _QUESTION_FIELDS, where, errors):
            continue
        where = f"{source}: question {raw['number']} ({raw['key']})"
        if raw["key"] in seen_keys:
            errors.append(f"{where}: duplicate question key {raw['key']!r}")
        if raw["number"] in seen_numbers:
            errors.append(f"{where}: duplicate question number {raw['number']!r}")
        seen_keys.add(raw["key"])
        seen_numbers.add(raw["number"])
        if raw["section"] not in section_keys:
            errors.append(f"{where}: unknown section {raw['section']!r}")
        if raw["answer_type"] not in ANSWER_TYPES:
            errors.append(f"{where}: unknown answer type {raw['answer_type']!r}")
        for trigger in raw["triggers"]:
            if trigger not in KNOWN_TRIGGERS:
                errors.append(f"{where}: unknown trigger {trigger!r} (known: {', '.join(KNOWN_TRIGGERS)})")
        questions.append(
            Question(
                number=raw["number"],
                key=raw["key"],
                section=raw["section"],
                text=raw["text"],
                help=raw["help"],
                answer_type=raw["answer_type"],
                high_risk=raw["high_risk"],
                victim_impact=raw["victim_impact"],
                triggers=tuple(raw["triggers"]),
                unconfirmed=raw["unconfirmed"],
            )
        )
    if errors:
        raise FormDefinitionError("; ".join(errors))
    return FormDefinition(
        key=data["key"],
        version=data["version"],
        title=data["title"],
        kind=data["kind"],
        sections=tuple(sections),
        questions=tuple(questions),
        source_note=data["source_note"],
    )


def load_form(path: str | Path) -> FormDefinition:
    """Load and validate one form definition file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FormDefinitionError(f"{path.name}: not valid JSON ({exc})") from exc
    return parse_form(data, source=path.name)


def builtin_forms() -> list[FormDefinition]:
    """Every form definition shipped in risk/form_versions/, sorted by file name. Fails if two share key and version."""
    forms = [load_form(p) for p in sorted(FORMS_DIR.glob("*.json"))]
    seen: set[tuple[str, str]] = set()
    for form in forms:
        if (form.key, form.version) in seen:
            raise FormDefinitionError(f"duplicate form {form.key} {form.version}")
        seen.add((form.key, form.version))
    return forms


def builtin_forms_by_kind() -> dict[str, FormDefinition]:
    """The built-in forms keyed by kind (one per kind), the shape scoring.completion_errors expects."""
    result: dict[str, FormDefinition] = {}
    for form in builtin_forms():
        if form.kind in result:
            raise FormDefinitionError(f"more than one built-in form of kind {form.kind!r}")
        result[form.kind] = form
    return result
