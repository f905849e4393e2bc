#!/usr/bin/env bash
# make test: set up, make sure PostgreSQL, Redis and Chromium are there, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
eval "$(scripts/services.sh)"
export DATABASE_URL CELERY_BROKER_URL
command -v chromium >/dev/null || { echo "error: chromium is not installed" >&2; exit 1; }
# Two processes (this machine has two cores); each has its own test database and task queue.
# Spread test by test (--dist load), not by file: pytest-django runs the transactional tests
# (which empty every table, the migration-loaded master data included) after the others, and
# --dist loadfile would run a module's transactional tests before the next module's others.
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --durations=15 "$@"
