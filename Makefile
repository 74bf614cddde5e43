.PHONY: run test lint format

run:  ## set up on SQLite with demo data and serve http://127.0.0.1:8000
	scripts/run

test:  ## the whole test suite (SQLite unless DATABASE_URL is set)
	scripts/test

lint:  ## ruff, mypy and the import contracts, as CI runs them
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
