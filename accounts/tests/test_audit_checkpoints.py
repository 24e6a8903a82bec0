"""The audit log against someone with database access: the app's role cannot remove or rewrite it, and
the checkpoints show what a more powerful role did (issue 16)."""

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts import audit
from accounts.checkpoints import checkpoint_write
from accounts.models import AuditCheckpoint, AuditEntry

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")


def _as_superuser(*statements, params=None):
    """Behind the application's back, with the triggers switched off, as the owner could."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        for statement in statements:
            cursor.execute(statement, params)
        cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def logged(cast, case):
    for n in range(5):
        audit.consulted(case, detail=f"read {n}")
    return list(AuditEntry.objects.order_by("id"))


def test_a_checkpoint_records_the_head_once_and_logs_it(logged, caplog):
    with caplog.at_level("INFO", logger="accounts.audit"):
        checkpoint = checkpoint_write()
    assert (checkpoint.entry_id, checkpoint.entry_hash) == (logged[-1].pk, logged[-1].hash)
    assert f"entry={logged[-1].pk} hash={logged[-1].hash}" in caplog.text
    assert checkpoint_write() is None  # nothing new since
    call_command("verify_audit")


def test_verify_audit_reports_a_deleted_tail(logged):
    checkpoint_write()
    _as_superuser("DELETE FROM accounts_auditentry WHERE id >= %s", params=[logged[-2].pk])
    assert audit.verify_chain() is None  # the chain alone still looks whole
    with pytest.raises(CommandError, match="deleted from the end"):
        call_command("verify_audit")


def test_verify_audit_reports_a_rewritten_chain(logged):
    checkpoint_write()
    # Rewrite the last two entries with their hashes recomputed, so the chain itself verifies.
    prev = logged[-3].hash
    for entry in logged[-2:]:
        entry.detail, entry.prev_hash = "rewritten", prev
        entry.hash = prev = entry.compute_hash()
        _as_superuser(
            "UPDATE accounts_auditentry SET detail = %s, prev_hash = %s, hash = %s WHERE id = %s",
            params=[entry.detail, entry.prev_hash, entry.hash, entry.pk],
        )
    assert audit.verify_chain() is None
    with pytest.raises(CommandError, match=f"Entry {logged[-1].pk} no longer has the hash"):
        call_command("verify_audit")


def test_verify_audit_reports_a_truncation(logged):
    checkpoint_write()
    _as_superuser("SET CONSTRAINTS ALL IMMEDIATE", "TRUNCATE accounts_auditentry")
    with pytest.raises(CommandError, match="emptied"):
        call_command("verify_audit")


def test_checkpoints_are_append_only(db):
    AuditCheckpoint.objects.create(at="2026-01-01T00:00Z", entry_id=1, entry_hash="a" * 64, entries=1)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditcheckpoint")


@pytest.fixture
def app_role(transactional_db):
    """A real login role set up as docker-compose does (grant_app_role), and a connection as it."""
    name = f"casework_app_{connection.settings_dict['NAME']}"[:60]
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'DROP ROLE IF EXISTS "{name}"')
        cursor.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD 'app-role-test' NOSUPERUSER NOCREATEDB NOCREATEROLE")
    call_command("grant_app_role", name)
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=name,
        password="app-role-test",
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE accounts_auditentry",
        "DELETE FROM accounts_auditentry",
        "UPDATE accounts_auditentry SET detail = 'tampered'",
        "ALTER TABLE accounts_auditentry DISABLE TRIGGER ALL",
        "ALTER TABLE accounts_auditentry DISABLE TRIGGER audit_entry_no_delete",
        "DROP TRIGGER audit_entry_no_delete ON accounts_auditentry",
        "SET session_replication_role = replica",
        "TRUNCATE accounts_auditcheckpoint",
        "DELETE FROM accounts_auditcheckpoint",
        "ALTER TABLE accounts_auditcheckpoint DISABLE TRIGGER ALL",
    ],
)
def test_the_app_role_cannot_remove_rewrite_or_unguard_the_audit_log(app_role, statement):
    with app_role.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cursor.execute(statement)


def test_the_app_role_still_appends_to_the_log_and_writes_the_app_tables(app_role, officer):
    with app_role.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM audit_append(now(), NULL, '', 'consult', 'x', '1', '[]'::jsonb, '', '', NULL, "
            "'{\"prev_hash\":\"', '\"}')"
        )
        cursor.execute(
            "INSERT INTO accounts_auditcheckpoint (at, entry_id, entry_hash, entries) VALUES (now(), 1, 'x', 1)"
        )
        cursor.execute("UPDATE accounts_user SET first_name = 'Priya' WHERE id = %s", [officer.pk])
        cursor.execute("SELECT count(*) FROM accounts_auditentry")
        assert cursor.fetchone()[0] >= 1
