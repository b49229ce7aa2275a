#!/bin/sh
# PostgreSQL image init hook (docker-entrypoint-initdb.d): creates the owner and app roles of
# deploy/postgres/roles.sql in the new cluster's database. Runs only when the data volume is empty.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v database="$POSTGRES_DB" \
  -v owner="$ZQT_OWNER_USER" -v owner_password="$ZQT_OWNER_PASSWORD" \
  -v app="$ZQT_APP_USER" -v app_password="$ZQT_APP_PASSWORD" \
  -f /zqt/roles.sql
