"""Load the project's own paraphrased form versions (DASH, stalking questions, S-DASH screening).

A force loads its licensed wording later as a new version (`manage.py load_risk_form FILE`)."""

import json
from pathlib import Path

from django.db import migrations

FORMS = ["dash-2009-paraphrase-v1.json", "stalking-supplementary-v1.json", "sdash-screening-v1.json"]


def load(apps, schema_editor):
    RiskForm = apps.get_model("risk", "RiskForm")
    folder = Path(__file__).resolve().parent.parent / "form_versions"
    for name in FORMS:
        raw = json.loads((folder / name).read_text())
        RiskForm.objects.get_or_create(
            key=raw["key"],
            version=raw["version"],
            defaults={"kind": raw["kind"], "title": raw["title"], "definition": raw},
        )


def unload(apps, schema_editor):
    RiskForm = apps.get_model("risk", "RiskForm")
    folder = Path(__file__).resolve().parent.parent / "form_versions"
    for name in FORMS:
        raw = json.loads((folder / name).read_text())
        RiskForm.objects.filter(key=raw["key"], version=raw["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
