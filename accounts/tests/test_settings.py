import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); print(s.TIME_ZONE, s.USE_TZ)"
)


def _run(env_overrides: dict, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings"} | env_overrides
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_it_falls_back_to_sqlite_and_the_filesystem_broker(tmp_path):
    result = _run({"SECRET_KEY": "x" * 60, "VAR_DIR": str(tmp_path)}, PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    engine, broker, tz = result.stdout.split("\n")[:3]
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert tz == "Europe/London True"
    assert (tmp_path / "broker" / "out").is_dir()


def test_it_uses_postgres_and_redis_from_the_environment(tmp_path):
    result = _run(
        {
            "SECRET_KEY": "x" * 60,
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/somewhere",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        PRINT_SETTINGS,
    )
    assert result.returncode == 0, result.stderr
    engine, broker = result.stdout.split("\n")[:2]
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://127.0.0.1:6379/3"


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = _run({"DEBUG": "0", "VAR_DIR": str(tmp_path)}, PRINT_SETTINGS)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_refuses_a_malformed_boolean(tmp_path):
    result = _run({"SECRET_KEY": "x" * 60, "DEBUG": "perhaps", "VAR_DIR": str(tmp_path)}, PRINT_SETTINGS)
    assert result.returncode != 0


def test_it_refuses_demo_users_outside_debug(tmp_path):
    result = _run({"SECRET_KEY": "x" * 60, "DEMO_MODE": "1", "VAR_DIR": str(tmp_path)}, PRINT_SETTINGS)
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_celery_accepts_json_only():
    from django.conf import settings

    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == "json"
