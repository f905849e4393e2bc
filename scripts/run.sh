#!/usr/bin/env bash
# make run: set up, migrate, load the demo data, then serve the portal on 127.0.0.1:8000 with
# a Celery worker (and beat). Redis is started when it can be; without it, tasks run inside
# the web process (CELERY_BROKER_URL empty) and no worker is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

if [ -z "${CELERY_BROKER_URL:-}" ] && command -v redis-server >/dev/null; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && export CELERY_BROKER_URL=redis://127.0.0.1:6379/0
fi

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${CELERY_BROKER_URL:-}" ]; then
  mkdir -p var
  .venv/bin/celery -A takatsu_portal worker --beat --loglevel INFO --concurrency 2 \
    --schedule var/celerybeat-schedule >var/celery.log 2>&1 &
  pids+=($!)
  worker="Celery worker: running (log: var/celery.log, broker $CELERY_BROKER_URL)"
else
  worker="Celery worker: none (no Redis; background tasks run inside the web process)"
fi

cat <<MSG

  高津区役所サービスポータル: http://$HOST:$PORT/
  $worker

  デモ用アカウント（パスワードはすべて takatsu-demo）
    admin         管理者
    staff         職員
    wglead        ワーキンググループリーダー
    subcommittee  区役所サービス推進部会 委員
    council       区企画調整会議 委員
    manager       課長

MSG
$PY manage.py runserver "$HOST:$PORT"
