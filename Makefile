# The two commands of the README: `make run` and `make test`. Each sets up what it needs.
.PHONY: run test lint bench setup format lock

run:
	scripts/run.sh

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
