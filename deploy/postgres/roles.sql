-- Two PostgreSQL roles for zhengqitong, so the running service does not own its tables.
--
--   owner  owns the database, the schema objects and the tables; migrations run as it (ROLE=migrate).
--   app    what the API and the workers connect as: reads and writes rows, owns nothing. It therefore
--          cannot ALTER a table, disable the append-only trigger of appeal_events, TRUNCATE, or set
--          session_replication_role, so the event log's protection does not rest on the app's own
--          credentials.
--
-- Run once, as a superuser, connected to the (existing, empty) database, with psql variables:
--   psql -v ON_ERROR_STOP=1 -d zhengqitong -v database=zhengqitong -v owner=zqt_owner \
--        -v owner_password=... -v app=zqt_app -v app_password=... -f deploy/postgres/roles.sql
-- docker-compose.yml runs it through deploy/postgres/init-roles.sh when PostgreSQL first starts.

CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password';
ALTER DATABASE :"database" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"app";
-- every table and sequence the owner creates (the migrations) is usable by the app: rows, not structure;
-- no TRUNCATE, no REFERENCES, no TRIGGER
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
