#!/usr/bin/env bash
# The seven-ward part of make bench (scripts/bench.sh runs it with the bench's environment:
# production settings, static files collected, SECRET_KEY; see tests/bench/citywide.py).
#
# Builds (once, kept for the next run) a one-ward database (高津区 of a year) and a seven-ward
# database (a copy of it plus six more wards of a year, about 2,800 staff), serves each with
# its own gunicorn and cache prefix, loads 高津区's pages and the comparison page (区役所比較)
# on both in the same run, and prints the ratios with PASS/MISS.
#
#   BENCH_CITY_REQUESTS     measured requests per page, round and database, four rounds
#                           (default half of BENCH_REQUESTS: short turns follow the machine's load)
#   BENCH_CITY_REBUILD=1    drop both databases and build them again
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

die() { echo "bench: error: $*" >&2; exit 1; }
log() { echo "==> $*"; }

[ -n "${BENCH_SERVER_DATABASE_URL:-}" ] && [ -d "${BENCH_TMP:-}" ] \
  || die "scripts/bench-city.sh runs inside scripts/bench.sh (make bench)"
tmp=$BENCH_TMP
requests=${BENCH_CITY_REQUESTS:-$(( (${BENCH_REQUESTS:-100} + 1) / 2 ))}
[[ "$requests" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CITY_REQUESTS must be a positive whole number"

urls=$($PY -m tests.bench.citywide databases "$BENCH_SERVER_DATABASE_URL") \
  || die "could not prepare the seven-ward bench's databases"
ward_url=$(sed -n 1p <<<"$urls")
city_url=$(sed -n 2p <<<"$urls")

migrate() {
  DATABASE_URL=$1 $PY manage.py migrate --noinput >"$tmp/city-migrate.log" 2>&1 \
    || { cat "$tmp/city-migrate.log" >&2; die "migrate ${1##*/} failed"; }
}

log "one ward: ${ward_url##*/}"
migrate "$ward_url"
DEBUG=true DATABASE_URL=$ward_url BENCH_CACHE_PREFIX=bench-ward1 \
  $PY -m tests.bench.citywide build ward "$tmp/city-ward.json" || die "building the one-ward data failed"
log "seven wards: ${city_url##*/}"
$PY -m tests.bench.citywide clone "$BENCH_SERVER_DATABASE_URL" || die "copying the one-ward database failed"
migrate "$city_url"
DEBUG=true DATABASE_URL=$city_url BENCH_CACHE_PREFIX=bench-city7 \
  $PY -m tests.bench.citywide build city "$tmp/city-city.json" || die "building the seven-ward data failed"

# Two free ports from 8800 (the main bench server takes the first from 8765).
read -r ward_port city_port < <($PY - <<'PY'
import socket

found = []
for port in range(8800, 8900):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    found.append(str(port))
    if len(found) == 2:
        break
print(" ".join(found))
PY
)
[ -n "${city_port:-}" ] || die "no two free ports on 127.0.0.1 in 8800..8899"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

serve() {  # name, database URL, port
  DATABASE_URL=$2 BENCH_CACHE_PREFIX=bench-$1 .venv/bin/gunicorn takatsu_portal.wsgi:application \
    --bind "127.0.0.1:$3" --workers "${BENCH_WORKERS:-2}" --log-level warning \
    --error-logfile "$tmp/gunicorn-$1.log" &
  pids+=($!)
}
serve ward1 "$ward_url" "$ward_port"
serve city7 "$city_url" "$city_port"
for port in "$ward_port" "$city_port"; do
  base=http://127.0.0.1:$port
  for _ in $(seq 1 60); do
    code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 2 "$base/__bench__/bare/" || true)
    [[ "$code" == "302 $base/accounts/login/"* ]] && break
    sleep 0.5
  done
  [[ "${code:-}" == "302 $base/accounts/login/"* ]] || {
    cat "$tmp"/gunicorn-*.log >&2
    die "$base/__bench__/bare/ never redirected to the login page"
  }
done

log "loading 高津区's pages and the comparison at one ward (:$ward_port) and seven (:$city_port)"
status=0
$PY -m tests.bench.citywide load --ward "http://127.0.0.1:$ward_port" \
  --city "http://127.0.0.1:$city_port" --ward-pages "$tmp/city-ward.json" \
  --city-pages "$tmp/city-city.json" --requests "$requests" \
  --concurrency "${BENCH_CONCURRENCY:-4}" || status=$?
for name in ward1 city7; do
  if [ -s "$tmp/gunicorn-$name.log" ]; then
    echo "--- gunicorn log ($name) ---"
    cat "$tmp/gunicorn-$name.log"
  fi
done
[ "$status" = 0 ] || die "the seven-ward load run failed"
