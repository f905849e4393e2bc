# The two commands of the README: `make run` and `make test`. Each sets up what it needs.
.PHONY: run run-prod test lint bench setup format backup restore

run:
	scripts/run.sh

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
