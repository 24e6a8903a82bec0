import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import Refusal
from risk.questionnaires import FormDefinitionError, parse_form
from risk.services import risk_form_load


class Command(BaseCommand):
    help = "Load a questionnaire version from a JSON file (e.g. a force's licensed DASH wording)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a JSON file in the format of risk/form_versions/*.json")

    def handle(self, *args, path, **options):
        try:
            raw = json.loads(Path(path).read_text())
            definition = parse_form(raw, source=path)
        except (OSError, json.JSONDecodeError, FormDefinitionError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            form = risk_form_load(actor=None, definition=definition, raw=raw)
        except Refusal as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Loaded {form.title} ({form.version}); new assessments use it from now on.")
