-- Default privileges (ALTER DEFAULT PRIVILEGES) of the role running the migration: a schema's entries
-- grow and shrink, a schema with entries appears, and database-wide entries take PostgreSQL's built-in
-- grants to PUBLIC away (an entry absent means those built-in defaults, not nothing).
CREATE SCHEMA reporting;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT, INSERT ON TABLES TO PUBLIC;
CREATE SCHEMA archive;
ALTER DEFAULT PRIVILEGES IN SCHEMA archive GRANT SELECT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA archive GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
