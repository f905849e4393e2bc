#!/usr/bin/env bash
# Make sure a PostgreSQL and a Redis server are reachable, and print the environment that
# points at them (eval "$(scripts/services.sh)"). Servers named by DATABASE_URL /
# CELERY_BROKER_URL are used as they are; otherwise local ones are started (and a database
# role created) as on a fresh Debian machine.
set -euo pipefail
# Only the export lines go to standard output (the caller evals them); everything else the
# servers' tools print (pg_ctlcluster says "Removed stale pid file." after an unclean stop)
# goes to standard error.
exec 3>&1 1>&2
# Servers started below must not inherit fd 3, or "$(scripts/services.sh)" waits for them.
log() { echo "$@" >&2; }
emit() { echo "$@" >&3; }

if [ -z "${DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
    [ -n "$cluster" ] || { log "error: no PostgreSQL cluster found (apt-get install postgresql)"; exit 1; }
    log "==> starting PostgreSQL $cluster"
    pg_ctlcluster $cluster start 3>&-
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='takatsu'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"CREATE ROLE takatsu LOGIN CREATEDB PASSWORD 'takatsu'\"" >&2
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='takatsu'\"" | grep -q 1 \
    || su postgres -c "createdb -O takatsu takatsu" >&2
  emit "export DATABASE_URL=postgres://takatsu:takatsu@127.0.0.1:5432/takatsu"
fi

if [ -z "${CELERY_BROKER_URL:-}" ]; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    command -v redis-server >/dev/null || { log "error: redis-server is not installed (apt-get install redis-server)"; exit 1; }
    log "==> starting Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 3>&-
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  emit "export CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
fi
