"""API tokens, audit checkpoints and enrolment codes.

The checkpoint table is append-only in the database too (the audit log's trigger function, 0002). DRF's
old tokens (rest_framework.authtoken, plaintext keys that never expired) become hashed tokens that
expire after API_TOKEN_DAYS, marked as issued without two-factor sign-in (so refused while REQUIRE_MFA
is on), and the plaintext keys are deleted. The old table stays, empty, for whoever removes it later.
"""

import hashlib
from datetime import UTC, timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

PG_INSTALL = """
CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON accounts_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON accounts_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS audit_checkpoint_no_update ON accounts_auditcheckpoint;
DROP TRIGGER IF EXISTS audit_checkpoint_no_delete ON accounts_auditcheckpoint;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)


def import_old_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        for key, user_id, created in cursor.fetchall():
            if isinstance(created, str):  # SQLite hands back text
                created = parse_datetime(created)
            if created is None:
                created = now
            elif timezone.is_naive(created):
                created = timezone.make_aware(created, UTC)
            ApiToken.objects.create(
                user_id=user_id,
                name="Token from before named tokens",
                scope="write",  # the old tokens could do anything their user could
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                prefix=key[:8],
                issued_after_mfa=False,
                issued_at=min(created, now),
                expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
            )
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_oidc_identity"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField()),
                ("entry_id", models.BigIntegerField()),
                ("entry_hash", models.CharField(max_length=64)),
                ("entries", models.BigIntegerField(help_text="entries in the log at the time")),
            ],
        ),
        migrations.CreateModel(
            name="EnrolmentCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code_hash", models.CharField(max_length=128)),
                ("issued_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "issued_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="enrolment_codes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(help_text="what it is for, e.g. 'force intelligence export'", max_length=100),
                ),
                (
                    "scope",
                    models.CharField(choices=[("read", "Read only"), ("write", "Read and write")], max_length=10),
                ),
                ("key_hash", models.CharField(max_length=64, unique=True)),
                (
                    "prefix",
                    models.CharField(help_text="the key's first characters, to tell tokens apart", max_length=8),
                ),
                ("issued_after_mfa", models.BooleanField()),
                ("issued_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "issued_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("expires_at__gt", models.F("issued_at"))),
                        name="api_token_expires_after_issue",
                    )
                ],
            },
        ),
        migrations.RunPython(install, remove),
        migrations.RunPython(import_old_tokens, migrations.RunPython.noop),
    ]
