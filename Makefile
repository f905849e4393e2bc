# The two commands of the README: `make run` and `make test`. Each sets up what it needs.
.PHONY: run run-prod test lint bench setup format backup restore lock

run:
	scripts/run.sh

# One archive of the database and the media folder (var/backups/); restore into an empty install.
backup:
	.venv/bin/python manage.py backup

restore:
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/takatsu-....tar" >&2; exit 2; }
	.venv/bin/python manage.py restore "$(ARCHIVE)"

# The production configuration on 127.0.0.1 (gunicorn, DEBUG=false; see scripts/run-prod.sh).
run-prod:
	scripts/run-prod.sh

test:
	scripts/test.sh $(PYTEST_ARGS)

setup:
	scripts/setup.sh --dev

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djlint templates --lint
	.venv/bin/python manage.py makemigrations --check --dry-run

format: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

bench: setup
	scripts/bench.sh

# Pin every package (with hashes) from requirements*.txt into requirements*.lock.
lock: setup
	scripts/lock.sh
