"""On PostgreSQL an audit row is chained and inserted by one function call: one round trip, not five.

`audit_append` takes the chain lock, reads the last hash and inserts the row with its hash, computed
from the canonical text Python sends in two halves around the predecessor's hash (so the formula is
the one `AuditEntry.compute_hash` checks). Each statement of a volatile PL/pgSQL function takes a new
snapshot, so the hash read after the lock is the one committed by the previous holder.
SQLite needs nothing: it serialises writers itself, and audit.py chains rows there in Python.
"""

from django.db import migrations

PG_INSTALL = """
CREATE OR REPLACE FUNCTION audit_append(
    p_at timestamptz, p_actor_id bigint, p_actor_username varchar, p_action varchar, p_object_type varchar,
    p_object_id varchar, p_changes jsonb, p_recipient varchar, p_detail varchar, p_ip inet,
    p_text_before_prev_hash text, p_text_after_prev_hash text
) RETURNS TABLE (entry_id bigint, entry_prev_hash varchar, entry_hash varchar) AS $$
DECLARE
    prev varchar;
BEGIN
    PERFORM pg_advisory_xact_lock(620620062);
    SELECT a.hash INTO prev FROM accounts_auditentry a ORDER BY a.id DESC LIMIT 1;
    prev := coalesce(prev, repeat('0', 64));
    RETURN QUERY
    INSERT INTO accounts_auditentry AS a (
        at, actor_id, actor_username, action, object_type, object_id, changes, recipient, detail, ip,
        prev_hash, hash
    ) VALUES (
        p_at, p_actor_id, p_actor_username, p_action, p_object_type, p_object_id, p_changes, p_recipient,
        p_detail, p_ip, prev,
        encode(sha256(convert_to(p_text_before_prev_hash || prev || p_text_after_prev_hash, 'UTF8')), 'hex')
    )
    RETURNING a.id, a.prev_hash, a.hash;
END;
$$ LANGUAGE plpgsql VOLATILE;
"""
PG_REMOVE = "DROP FUNCTION IF EXISTS audit_append;"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_unit_protection_notice_regime")]

    operations = [migrations.RunPython(install, remove)]
