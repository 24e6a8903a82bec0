import json

import pytest
from django.core.management import CommandError, call_command

from risk.models import RiskForm
from risk.questionnaires import FORMS_DIR
from risk.services import current_forms


def test_a_force_loads_its_own_wording_as_a_new_version(db, tmp_path):
    raw = json.loads((FORMS_DIR / "dash-2009-paraphrase-v1.json").read_text())
    raw["version"] = "force-licensed-2026"
    path = tmp_path / "dash.json"
    path.write_text(json.dumps(raw))
    call_command("load_risk_form", str(path))
    assert current_forms()["dash"].version == "force-licensed-2026"
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_risk_form", str(path))
    assert RiskForm.objects.filter(key="dash").count() == 2


def test_a_malformed_form_is_refused_with_its_problems(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"key": "dash"}))
    with pytest.raises(CommandError):
        call_command("load_risk_form", str(path))
