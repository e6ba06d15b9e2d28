#!/usr/bin/env bash
# Run Frontline's checks: ruff, mypy, and the test suite, against SQLite and a real PostgreSQL server
# started here in a temporary folder (and stopped afterwards) unless FRONTLINE_TEST_PG points at one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

ruff check src tests benchmarks
ruff format --check src tests benchmarks
mypy

if [ -z "${FRONTLINE_TEST_PG:-}" ] && [ -x scripts/pg-test-server.sh ]; then
  FRONTLINE_TEST_PG=$(scripts/pg-test-server.sh start)
  export FRONTLINE_TEST_PG
  trap 'scripts/pg-test-server.sh stop' EXIT
fi
python -m pytest "$@"
