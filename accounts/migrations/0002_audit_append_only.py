"""The database itself refuses to change or remove an audit row, whatever the ORM does.

PostgreSQL: row triggers on UPDATE and DELETE. SQLite: a trigger on UPDATE (a DELETE trigger would also
block the test runner's table flush; the ORM refuses deletes on both databases).
"""

from django.db import migrations

PG_INSTALL = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON accounts_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_delete ON accounts_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""
SQLITE_INSTALL = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON accounts_auditentry
BEGIN SELECT RAISE(ABORT, 'accounts_auditentry is append-only (UPDATE refused)'); END;
"""
SQLITE_REMOVE = "DROP TRIGGER IF EXISTS audit_entry_no_update;"


def install(apps, schema_editor):
    sql = PG_INSTALL if schema_editor.connection.vendor == "postgresql" else SQLITE_INSTALL
    schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    sql = PG_REMOVE if schema_editor.connection.vendor == "postgresql" else SQLITE_REMOVE
    schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
