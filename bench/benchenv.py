"""Shared set-up for the benchmark scripts: the environment of the bench database, and Django start-up.

Import this first; call `django_setup()` before importing any model.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("BENCH_DB", "casework_bench")
PG_DSN = "host=127.0.0.1 port=5432 user=postgres"  # trust auth, as in the dev stack

# Settings as in production (DEBUG off, persistent connections) minus HTTPS and MFA, which the bench
# client does not speak. gunicorn gets the same environment.
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "0",
    "HTTPS": "0",
    "REQUIRE_MFA": "0",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "LOG_LEVEL": "WARNING",
}

# Seeded names that run.py looks up.
USERNAME = "bench.officer"
UNIT_CODE = "bench-unit"
FILLER_CASES = 99  # plus the measured 10,000-event case = 100 cases × 10,000 events
EVENTS_PER_CASE = 10_000
# title → number of timeline events (besides the one "case opened" event case_open writes)
MEASURED_CASES = {
    "bench timeline 10": 10,
    "bench timeline 1k": 1_000,
    "bench timeline 10k": EVENTS_PER_CASE,
    "bench timeline 100k (big)": 100_000,
}
TIMELINE_CASE = "bench timeline 10k"
BATCH_CASE = "bench batch"


def django_setup() -> None:
    for key, value in ENV.items():
        os.environ[key] = value
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
