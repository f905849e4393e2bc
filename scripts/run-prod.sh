#!/usr/bin/env bash
# make run-prod: the production configuration on this machine, to try it or probe it before a
# deployment: gunicorn, DEBUG=false, collected static files served by WhiteNoise, and a secret
# key generated once and kept in var/secret_key (readable by its owner only). gunicorn listens
# on the loopback address only, so plain HTTP is allowed (no HTTPS redirect, no secure-only
# cookies, no HSTS): nothing leaves this machine unencrypted. Behind a real proxy, deploy as
# the README says instead.
# The database is DATABASE_URL (else the SQLite file of `make run`); Redis and a Celery worker
# are used when Redis runs (CELERY_BROKER_URL set but empty: tasks run in the web process).
# No demo data is loaded (seed_demo refuses DEBUG=false): run `make run` once for it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PY=.venv/bin/python
PORT=${PORT:-8000}
HOST=127.0.0.1

mkdir -p var
if [ -z "${SECRET_KEY:-}" ]; then
  if [ ! -s var/secret_key ]; then
    (umask 077 && $PY -c 'import secrets; print(secrets.token_urlsafe(50))' >var/secret_key.tmp)
    mv var/secret_key.tmp var/secret_key
    echo "==> new secret key in var/secret_key"
  fi
  SECRET_KEY=$(cat var/secret_key)
fi
export SECRET_KEY DEBUG=false
export ALLOWED_HOSTS="127.0.0.1,localhost"
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$PORT,http://localhost:$PORT"
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0 SECURE_HSTS_INCLUDE_SUBDOMAINS=false SECURE_HSTS_PRELOAD=false
export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://127.0.0.1:$PORT}

if [ -z "${CELERY_BROKER_URL+set}" ] && command -v redis-server >/dev/null; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && export CELERY_BROKER_URL=redis://127.0.0.1:6379/0
fi
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-}

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput >/dev/null

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "$CELERY_BROKER_URL" ]; then
  .venv/bin/celery -A takatsu_portal worker --beat --loglevel INFO --concurrency 2 \
    --schedule var/celerybeat-schedule >var/celery.log 2>&1 &
  pids+=($!)
  worker="Celery worker: running (log: var/celery.log, broker $CELERY_BROKER_URL)"
else
  worker="Celery worker: none (background tasks run inside the web process)"
fi

cat <<MSG

  高津区役所サービスポータル（本番設定: DEBUG=false, gunicorn）: http://$HOST:$PORT/
  $worker
  管理者がいなければ: .venv/bin/python manage.py createsuperuser

MSG
.venv/bin/gunicorn takatsu_portal.wsgi --bind "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-2}" \
  --access-logfile - &
pids+=($!)
wait "${pids[-1]}"
