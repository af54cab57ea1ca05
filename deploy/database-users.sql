-- Two database users for a production deployment (README "Running in production", Database users):
--   advisor_owner  owns the four databases and changes their schema: `npm run migrate` (the deploy step) runs as it;
--   advisor_app    the services' user: reads and writes rows, never changes the schema, creates no database.
-- Run once as the server's administrator (a superuser, or a managed service's admin role), for example
--   psql "postgres://admin@db.example.jp/postgres" -f deploy/database-users.sql
-- after replacing both passwords (or leave them and set real ones with psql's \password afterwards).
-- With another DATABASE_PREFIX, replace advisor_ throughout. tests/integration/database-users.test.ts runs this file.

CREATE ROLE advisor_owner LOGIN PASSWORD 'change-me-owner';
CREATE ROLE advisor_app LOGIN PASSWORD 'change-me-app';
-- No statement of a request runs longer than a minute (the slowest, a national table on a large log, takes well under
-- a second): one stuck behind a lock is cancelled and answered 503 SUBGRAPH_UNAVAILABLE, rather than holding one of the
-- pool's connections until the lock goes. Imports lift it for their own transaction (they wait their turn).
ALTER ROLE advisor_app SET statement_timeout = '60s';

CREATE DATABASE advisor_municipalities OWNER advisor_owner;
CREATE DATABASE advisor_support_centers OWNER advisor_owner;
CREATE DATABASE advisor_bases OWNER advisor_owner;
CREATE DATABASE advisor_dispatch OWNER advisor_owner;

-- In each database: the tables and sequences the owner creates (now and in later releases) are the app's to use;
-- the owner alone may create anything in it (already so on PostgreSQL 15 and later, where pg_database_owner owns public).
\connect advisor_municipalities
ALTER SCHEMA public OWNER TO advisor_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO advisor_app;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO advisor_app;

\connect advisor_support_centers
ALTER SCHEMA public OWNER TO advisor_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO advisor_app;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO advisor_app;

\connect advisor_bases
ALTER SCHEMA public OWNER TO advisor_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO advisor_app;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO advisor_app;

\connect advisor_dispatch
ALTER SCHEMA public OWNER TO advisor_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO advisor_app;
ALTER DEFAULT PRIVILEGES FOR ROLE advisor_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO advisor_app;
