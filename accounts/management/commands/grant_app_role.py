from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

# Append-only tables: the app role may read and add rows, never change, delete or truncate them.
APPEND_ONLY_TABLES = ("accounts_auditentry", "accounts_auditcheckpoint")


class Command(BaseCommand):
    help = (
        "Give the application's database role what it needs and no more (PostgreSQL; run as the owner "
        "after migrate): read and write the app's tables, only read and add to the audit log and its "
        "checkpoints. Not owning the tables, it cannot alter or truncate them, nor disable their triggers."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role web, worker and beat connect as, e.g. casework_app")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter; nothing to do on SQLite.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"No role {role!r}: create it first (docker-compose's db-roles step).")
            if row[0]:
                raise CommandError(f"{role!r} is a superuser or may create roles: the app must run as a plain role.")
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", [role])
            owned = [name for (name,) in cursor.fetchall()]
            if owned:
                raise CommandError(f"{role!r} owns tables ({', '.join(owned[:5])}): migrate as the owner role.")
        grantee = sql.Identifier(role)
        append_only = sql.SQL(", ").join(sql.Identifier(t) for t in APPEND_ONLY_TABLES)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(grantee),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(grantee),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(grantee),
            sql.SQL("REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {}").format(grantee),
            sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(append_only, grantee),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(grantee),
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role} may read and write the app's tables, and only read and add to the audit log.")
