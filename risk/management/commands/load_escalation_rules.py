import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import Refusal
from risk.services import escalation_rules_load


class Command(BaseCommand):
    help = "Load a version of the escalation detector's weights and thresholds from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a JSON file in the format of risk/escalation_rules/escalation-rules-v1.json")

    def handle(self, *args, path, **options):
        try:
            raw = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            loaded = escalation_rules_load(raw)
        except Refusal as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Loaded escalation rules {loaded.version}; levels are worked out with them from now on.")
