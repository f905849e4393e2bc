#!/usr/bin/env bash
# make test: set up, make sure PostgreSQL, Redis and Chromium are there, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
eval "$(scripts/services.sh)"
export DATABASE_URL CELERY_BROKER_URL
command -v chromium >/dev/null || { echo "error: chromium is not installed" >&2; exit 1; }
# Two processes (this machine has two cores); each has its own test database and task queue.
# --dist loadfile: all the tests of a module run in one process, so that what a module builds
# once (the named people of tests/conftest.py, the demo of tests/demo/seeding.py) is built
# once, not once in each process that runs some of its tests. (Not --dist loadgroup with
# xdist_group marks: pytest-xdist 3.8 groups by rewriting item._nodeid, which pytest 9.2 no
# longer reads, so every test would be spread as with --dist load.)
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile --durations=15 "$@"
