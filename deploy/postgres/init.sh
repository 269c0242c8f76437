#!/usr/bin/env bash
# One database and one role per service (each service owns its tables; none reads another's).
# Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d).
# Passwords come from the environment: GOVPM_<SVC>_DB_PASSWORD.
set -euo pipefail

for svc in reserve approval budget oversight acceptance gateway; do
  var="GOVPM_${svc^^}_DB_PASSWORD"
  password="${!var:?${var} must be set}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       -v role="govpm_${svc}" -v db="govpm_${svc}" -v pw="${password}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL
done
