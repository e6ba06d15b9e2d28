#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, in a temporary folder, on 127.0.0.1.
#   scripts/pg-test-server.sh start   prints the postgresql:// URL of a fresh, empty server
#   scripts/pg-test-server.sh stop    stops it and removes its folder
# PostgreSQL refuses to run as root, so the server runs as the `postgres` user when we are root.
set -euo pipefail
# One state file per calling shell, so `start` and `stop` from the same script pair up and two test runs
# at once (two shells) never stop each other's server.
STATE=${FRONTLINE_PG_STATE:-${TMPDIR:-/tmp}/frontline-pg-test.$PPID.state}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  [ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "pg-test-server: PostgreSQL not installed (initdb not found)" >&2; exit 1; }
  if [ -f "$STATE" ]; then stop >/dev/null 2>&1 || true; fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/frontline-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(free_port)
  as_pg "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Tests only: durability off makes schema set-up per test fast; the socket lives in our folder.
  as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  for _ in $(seq 1 50); do
    "$BIN/pg_isready" -h 127.0.0.1 -p "$port" -q && break
    sleep 0.2
  done
  printf 'dir=%s\nport=%s\n' "$dir" "$port" >"$STATE"
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
  [ -f "$STATE" ] || { echo "pg-test-server: not running" >&2; return 0; }
  dir=$(sed -n 's/^dir=//p' "$STATE")
  if [ -n "$dir" ] && [ -d "$dir/data" ]; then
    as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$dir" ] && rm -rf "$dir"
  rm -f "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
