#!/usr/bin/env bash
# make bench (not part of make test): serve the portal with gunicorn on PostgreSQL (its own
# database, takatsu_bench, or BENCH_DATABASE) with three fiscal years of one ward's data
# (tests/bench/pages.py), and load the pages people wait on (home, progress board, project
# list and page, council meeting, voices, survey analysis, reports, notifications) and a bare
# view behind the same login from a second process; print for each its SQL queries, req/s,
# median and p99 latency, the ratio to the bare view and the goal (≤ 2×) as PASS or MISS.
#
#   BENCH_REQUESTS=100      measured requests per page and round (plus a tenth as warm-up)
#   BENCH_CONCURRENCY=4     client processes, one connection each
#   BENCH_WORKERS=2         gunicorn worker processes (sync workers, as in production)
#   BENCH_PORT              port on 127.0.0.1 (default: the first free one from 8765)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
started=$SECONDS

die() { echo "bench: error: $*" >&2; exit 1; }
log() { echo "==> $*"; }
whole_number() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive whole number, not '$2'"; }

[ -x "$PY" ] && [ -x .venv/bin/gunicorn ] || die ".venv or gunicorn missing: run make setup"
command -v curl >/dev/null || die "curl is not installed (apt-get install curl)"
BENCH_REQUESTS=${BENCH_REQUESTS:-100}
BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-4}
BENCH_WORKERS=${BENCH_WORKERS:-2}
whole_number BENCH_REQUESTS "$BENCH_REQUESTS"
whole_number BENCH_CONCURRENCY "$BENCH_CONCURRENCY"
whole_number BENCH_WORKERS "$BENCH_WORKERS"

# PostgreSQL (and Redis, for the pages and jobs later issues add), then the bench's own
# database on the same server: the development and test databases are never touched.
services_env=$(scripts/services.sh) || die "scripts/services.sh could not provide PostgreSQL and Redis"
eval "$services_env"
[ -n "${DATABASE_URL:-}" ] || die "no DATABASE_URL after scripts/services.sh"
server_db_url=$DATABASE_URL  # the server's, for the seven-ward part's own databases
bench_db_url=$($PY -m tests.bench.prepare database "$DATABASE_URL") \
  || die "could not prepare the bench database"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/takatsu-bench.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The environment of a production server, on plain HTTP over loopback.
export DJANGO_SETTINGS_MODULE=tests.bench.settings
export DATABASE_URL=$bench_db_url
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-}
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false
export SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export STATIC_ROOT=$tmp/static LOG_LEVEL=WARNING
SECRET_KEY=$($PY -c "from django.core.management.utils import get_random_secret_key as k; print(k())")
export SECRET_KEY

# A free port: BENCH_PORT if set, otherwise the first free one from 8765.
if [ -n "${BENCH_PORT:-}" ]; then
  whole_number BENCH_PORT "$BENCH_PORT"
  ports="$BENCH_PORT $BENCH_PORT"
else
  ports="8765 8799"
fi
port=$($PY - $ports <<'PY'
import socket
import sys

first, last = int(sys.argv[1]), int(sys.argv[2])
for port in range(first, last + 1):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
)
[ -n "$port" ] || die "no free port on 127.0.0.1 in ${ports/ /..} (set BENCH_PORT to a free one)"
base=http://127.0.0.1:$port

log "migrating ${DATABASE_URL##*/}"
$PY manage.py migrate --noinput >"$tmp/migrate.log" 2>&1 \
  || { cat "$tmp/migrate.log" >&2; die "migrate failed"; }
log "collecting static files (DEBUG=false serves them from WhiteNoise's manifest)"
$PY manage.py collectstatic --noinput -v0 >"$tmp/static.log" 2>&1 \
  || { cat "$tmp/static.log" >&2; die "collectstatic failed"; }

# The page table's data: three fiscal years of one ward (tests/bench/pages.py; built on the
# first run with bulk inserts, kept for the next; BENCH_PAGES_REBUILD=1 builds it again), and
# the pages with the user who loads each and its SQL queries per request, counted in-process.
export BENCH_PASSWORD=takatsu-demo
if [ "${BENCH_PAGES:-1}" != "0" ]; then
  log "bench data: three fiscal years of one ward (tests/bench/pages.py)"
  DEBUG=true $PY -m tests.bench.pages "$tmp/pages.json" || die "building the page bench's data failed"
fi

log "starting gunicorn on $base ($BENCH_WORKERS workers)"
.venv/bin/gunicorn takatsu_portal.wsgi:application --bind "127.0.0.1:$port" \
  --workers "$BENCH_WORKERS" --log-level warning --error-logfile "$tmp/gunicorn.log" &
server_pid=$!
for _ in $(seq 1 60); do
  kill -0 "$server_pid" 2>/dev/null \
    || { cat "$tmp/gunicorn.log" >&2; server_pid=""; die "gunicorn exited at start"; }
  # Only this server has the bare view: logged out, it redirects to the login page.
  code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 2 "$base/__bench__/bare/" || true)
  [[ "$code" == "302 $base/accounts/login/"* ]] && break
  sleep 0.5
done
[[ "${code:-}" == "302 $base/accounts/login/"* ]] || {
  cat "$tmp/gunicorn.log" >&2
  die "$base/__bench__/bare/ never redirected to the login page (last answer: '${code:-none}')"
}

status=0
if [ "${BENCH_PAGES:-1}" != "0" ]; then
  log "loading the pages"
  $PY -m tests.bench.load --base "$base" --pages "$tmp/pages.json" \
    --requests "$BENCH_REQUESTS" --concurrency "$BENCH_CONCURRENCY" \
    --note "Server: gunicorn $(.venv/bin/gunicorn --version | awk '{print $NF}' | tr -d ')'), $BENCH_WORKERS sync workers, DEBUG=false, PostgreSQL ${DATABASE_URL##*/}, CONN_MAX_AGE=${CONN_MAX_AGE:-600}, cache ${CACHE_URL:-${CELERY_BROKER_URL:-none}}; $(nproc) CPUs shared with the clients." \
    || status=$?
fi
if [ -s "$tmp/gunicorn.log" ]; then
  echo "--- gunicorn log ---"
  cat "$tmp/gunicorn.log"
fi
[ "$status" = 0 ] || die "the load run failed"
echo "Bench took $((SECONDS - started)) s."

# --- Survey analysis at scale (feedback) ------------------------------------------------------
# One survey with about a million answers in the bench database (built with generate_series
# on the first run, kept for the next), then every query of the survey's analysis timed
# against a plain count(*) of the answers. BENCH_FEEDBACK=0 skips it;
# BENCH_FEEDBACK_ANSWERS sets the size, BENCH_FEEDBACK_REBUILD=1 builds the data again.
if [ "${BENCH_FEEDBACK:-1}" != "0" ]; then
  feedback_started=$SECONDS
  log "survey analysis at scale (tests/bench/feedback_analysis.py)"
  $PY -m tests.bench.feedback_analysis || die "the survey analysis bench failed"
  echo "Survey analysis bench took $((SECONDS - feedback_started)) s."
fi

# --- Council reports (PDF) ---------------------------------------------------------------------
# The annual plan at 100 projects and the PDCA progress report at 100 projects × 6 monthly
# periods (data built with bulk_create under the bench office's fiscal 2099 plan on the first
# run, kept for the next), each rendered as the worker does (rendering.render_job for a new
# job, in a fresh child process) against WeasyPrint alone on the same HTML; median of 3 runs,
# goals printed with PASS/MISS (a MISS does not fail the bench). BENCH_REPORTS=0 skips it;
# BENCH_REPORTS_ROUNDS and BENCH_REPORTS_PROJECTS set the size, BENCH_REPORTS_REBUILD=1 builds
# the data again.
if [ "${BENCH_REPORTS:-1}" != "0" ]; then
  reports_started=$SECONDS
  log "council reports (tests/bench/reports.py)"
  $PY -m tests.bench.reports || die "the reports bench failed"
  echo "Reports bench took $((SECONDS - reports_started)) s."
fi

# --- Plain-language checker -------------------------------------------------------------------
# A 2,000-character article checked against the shipped glossary, against SudachiPy's
# tokenizing alone and through the live-check endpoint; goal: the check under 50 ms.
# BENCH_PLAIN=0 skips it; BENCH_PLAIN_ROUNDS sets the rounds (default 50).
if [ "${BENCH_PLAIN:-1}" != "0" ]; then
  plain_started=$SECONDS
  log "plain-language checker (tests/bench/plain_language.py)"
  $PY -m tests.bench.plain_language || die "the plain-language bench failed"
  echo "Plain-language bench took $((SECONDS - plain_started)) s."
fi

# --- Training (研修) ----------------------------------------------------------------------------
# Compliance page and session list at 60 and BENCH_TRAINING_STAFF (2,000) staff: the same number
# of queries (else fail) and, through this gunicorn, their median latency against the bare view
# (goal ≤ 2×, PASS/MISS); then BENCH_TRAINING_APPLICANTS (200) people apply to one session of
# 50 seats at once: no error answer, never more confirmed than seats (else fail), and the time
# they took. BENCH_TRAINING=0 skips it.
if [ "${BENCH_TRAINING:-1}" != "0" ]; then
  training_started=$SECONDS
  log "training at scale (tests/bench/training.py)"
  BENCH_PASSWORD=takatsu-demo $PY -m tests.bench.training --base "$base" || die "the training bench failed"
  echo "Training bench took $((SECONDS - training_started)) s."
fi

# --- Bulletin (情報紙) ------------------------------------------------------------------------
# Search over 100,000 generated articles (built with COPY on the first run, kept for the next):
# a two- and a six-character Japanese query through the bigram index against a sequential
# ILIKE scan, median and p99, EXPLAIN's first line; then 閲覧状況 of an article for 2,000
# people against the bare view and the empty layout, in-process and through this gunicorn.
# BENCH_BULLETIN=0 skips it; BENCH_BULLETIN_PARTS=search or =status runs one part;
# BENCH_BULLETIN_ARTICLES, BENCH_BULLETIN_ROUNDS, BENCH_BULLETIN_REQUESTS set the size,
# BENCH_BULLETIN_REBUILD=1 builds the articles again. Only this section, for example:
#   BENCH_REQUESTS=100 BENCH_FEEDBACK=0 BENCH_REPORTS=0 BENCH_PLAIN=0 BENCH_TRAINING=0 make bench
if [ "${BENCH_BULLETIN:-1}" != "0" ]; then
  bulletin_started=$SECONDS
  log "bulletin search and reading status (tests/bench/bulletins.py)"
  $PY -m tests.bench.bulletins --base "$base" || die "the bulletin bench failed"
  echo "Bulletin bench took $((SECONDS - bulletin_started)) s."
fi

# --- Imports (取込み) ---------------------------------------------------------------------------
# A file of BENCH_IMPORT_ROWS (10,000) survey answers imported the worker's way (the tasks
# core.import_check and core.import_write called in this process) against a plain COPY of the
# same rows into the same tables; both times, the ratio, and the goal (under 10 s of worker
# time) as PASS or MISS. BENCH_IMPORTS=0 skips it.
if [ "${BENCH_IMPORTS:-1}" != "0" ]; then
  imports_started=$SECONDS
  log "survey answers imported by the worker (tests/bench/imports.py)"
  MEDIA_ROOT=$tmp/media $PY -m tests.bench.imports || die "the import bench failed"
  echo "Import bench took $((SECONDS - imports_started)) s."
fi

# --- Seven wards (区役所比較, issue 15) -----------------------------------------------------------
# 高津区 of a year alone (BENCH_DATABASE_ward1) and beside six more wards of a year
# (BENCH_DATABASE_city7, about 2,800 staff; both built on the first run, kept for the next),
# each served by its own gunicorn; 高津区's pages and the comparison page loaded on both in the
# same run: queries and median at one and seven wards (goal ≤ 1.2×, same queries) and the
# comparison page against the bare view (goal < 3×, same queries at one and seven wards).
# BENCH_CITY=0 skips it; BENCH_CITY_REBUILD=1 builds both databases again; BENCH_PAGES=0 skips
# the page table above, for example to run this part alone:
#   BENCH_PAGES=0 BENCH_FEEDBACK=0 BENCH_REPORTS=0 BENCH_PLAIN=0 BENCH_TRAINING=0 \
#   BENCH_BULLETIN=0 BENCH_IMPORTS=0 make bench
if [ "${BENCH_CITY:-1}" != "0" ]; then
  city_started=$SECONDS
  log "seven wards against one (tests/bench/citywide.py, scripts/bench-city.sh)"
  BENCH_SERVER_DATABASE_URL=$server_db_url BENCH_TMP=$tmp scripts/bench-city.sh \
    || die "the seven-ward bench failed"
  echo "Seven-ward bench took $((SECONDS - city_started)) s."
fi
