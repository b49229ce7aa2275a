#!/bin/sh
# PostgreSQL image init hook on the primary of docker-compose.ha.yml: a replication role and a slot for
# the standby, and the pg_hba line that lets it stream. Runs only when the data volume is empty.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v user="$ZQT_REPLICATION_USER" -v password="$ZQT_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"user" WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('standby1');
SQL
echo "host replication $ZQT_REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
