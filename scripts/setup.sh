#!/usr/bin/env bash
# Set up everything Frontline needs on a fresh machine: system packages (as root), .venv with the
# package and its dev tools, the web map's JavaScript from npm, and the gazetteer index.
# Re-runnable: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3

# System packages for the tests: PostgreSQL (team store), Chromium (browser test of the map).
need=()
command -v chromium >/dev/null || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need[*]} (apt)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: please install with your package manager: ${need[*]}" >&2
  fi
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
extras=dev
# Ray is optional (frontline[ray]); the test suite exercises it, so set-up installs it unless told not to.
[ "${FRONTLINE_NO_RAY:-}" = 1 ] || extras=dev,ray
.venv/bin/python -m pip install -q -e ".[${extras}]"

# The web map's JavaScript and the offline basemap, from the npm registry (nothing from a CDN at run time).
if [ -x scripts/build-web.sh ]; then scripts/build-web.sh; fi

# Build the GeoNames index once (about a minute); later runs find it and return at once.
.venv/bin/frontline gazetteer build --quiet
echo "setup: done. Try: .venv/bin/frontline extract ../shared/examples/hama-2024-12/article.json --format table"
