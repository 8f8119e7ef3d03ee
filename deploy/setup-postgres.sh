#!/usr/bin/env bash
# deploy/setup-postgres.sh — the shared database of a HueyP pair, with a least-privilege role (docs/deploy.md).
# Run on the database machine as a PostgreSQL superuser (e.g. `sudo -u postgres deploy/setup-postgres.sh`).
#   HUEYP_DB (default hueyp), HUEYP_ROLE (default hueyp), HUEYP_ROLE_PASSWORD (required; not echoed),
#   HUEYP_NODES: the nodes' addresses for pg_hba.conf lines printed at the end (default "10.0.0.11 10.0.0.12").
# What the role may do: connect to this one database and create schemas and tables in it (the tables it creates (the journal's
# migrations and the lease/member tables), end its own sessions (a frozen active's lease session; PostgreSQL allows
# pg_terminate_backend on backends of the same role). It is not a superuser, cannot create databases or roles, and
# has no rights in any other database.
set -euo pipefail
db=${HUEYP_DB:-hueyp}
role=${HUEYP_ROLE:-hueyp}
nodes=${HUEYP_NODES:-"10.0.0.11 10.0.0.12"}
: "${HUEYP_ROLE_PASSWORD:?set HUEYP_ROLE_PASSWORD to the password the nodes will use (in /etc/hueyp/hueyp.env)}"
case "$db$role" in *[!a-z0-9_]*) echo "error: HUEYP_DB and HUEYP_ROLE must be lower-case letters, digits, _" >&2; exit 2;; esac

psql -v ON_ERROR_STOP=1 -d postgres -q \
  -v role="$role" -v db="$db" -v password="$HUEYP_ROLE_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER postgres', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
-- CREATE: the journal's migrations run CREATE SCHEMA IF NOT EXISTS, which PostgreSQL checks against the database.
SELECT format('GRANT CONNECT, TEMPORARY, CREATE ON DATABASE %I TO %I', :'db', :'role') \gexec
-- A crashed node's sessions are ended by the server when their TCP connection dies; keep that quick.
SELECT format('ALTER ROLE %I SET tcp_keepalives_idle = 5', :'role') \gexec
SELECT format('ALTER ROLE %I SET tcp_keepalives_interval = 2', :'role') \gexec
SELECT format('ALTER ROLE %I SET tcp_keepalives_count = 3', :'role') \gexec
SQL

psql -v ON_ERROR_STOP=1 -d "$db" -q -v role="$role" <<'SQL'
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', :'role') \gexec
SQL

# The schema itself (journal, tags, snapshots, lease, members) is created by the first node that starts, as this role.
echo "Database '$db' and role '$role' are ready. Add to pg_hba.conf (then reload PostgreSQL):"
for address in $nodes; do
  echo "  hostssl $db $role $address/32 scram-sha-256"
done
echo "Each node's /etc/hueyp/hueyp.env: HUEYP_PG=Host=<db address>;Port=5432;Username=$role;Password=...;Database=$db;SSL Mode=Require"
