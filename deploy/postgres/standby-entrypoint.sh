#!/bin/sh
# The standby of docker-compose.ha.yml: on an empty data volume, clones the primary with pg_basebackup
# (-R writes primary_conninfo and standby.signal), then runs PostgreSQL as a hot standby that streams
# from the primary's slot. Promote it with: pg_ctl promote (see docs/operations.md).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready -h "$PRIMARY_HOST" -p 5432 -q; do sleep 1; done
  PGPASSWORD="$ZQT_REPLICATION_PASSWORD" gosu postgres pg_basebackup \
    -h "$PRIMARY_HOST" -p 5432 -U "$ZQT_REPLICATION_USER" \
    -D "$PGDATA" -X stream -R -S standby1 --checkpoint=fast
  echo "primary_conninfo = 'host=$PRIMARY_HOST port=5432 user=$ZQT_REPLICATION_USER password=$ZQT_REPLICATION_PASSWORD application_name=standby1'" \
    >> "$PGDATA/postgresql.auto.conf"
fi
exec gosu postgres postgres -c hot_standby=on -c hot_standby_feedback=on "$@"
