-- The application's database role (docs/adr/0016): run once per start by docker-compose's `db-roles`
-- step as the owner (POSTGRES_USER), before `migrate`. It creates or updates casework_app, a plain
-- login role: no superuser, no role or database creation, owning nothing. `migrate` (as the owner)
-- then grants it what the app needs (manage.py grant_app_role): it reads and writes the app's tables
-- but only reads and adds to the audit log and its checkpoints, and, not owning them, cannot alter or
-- truncate them or disable their triggers.
\set ON_ERROR_STOP on
\getenv app_password APP_DB_PASSWORD
SELECT 'CREATE ROLE casework_app LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casework_app')
\gexec
ALTER ROLE casework_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
