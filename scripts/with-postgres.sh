#!/usr/bin/env bash
# Runs a command against a real PostgreSQL (Debian's package), started here on a
# private socket and port, in a fresh cluster that is removed afterwards; the command
# finds it in TEST_DATABASE_URL. Skipped, with a message, where PostgreSQL cannot be
# installed. scripts/test-postgres.sh (the server tests) and bench/server.ts use it.
#   scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "PostgreSQL is missing: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    BIN="$(find_bin || true)"
  fi
fi
if [ -z "$BIN" ]; then
  echo "skipped ($*): no PostgreSQL server here and none can be installed" >&2
  exit 0
fi

DIR="$(mktemp -d /tmp/chat-widget-pg.XXXXXX)"
PORT="${PGTEST_PORT:-$(( 20000 + RANDOM % 20000 ))}"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi
cleanup() {
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -w -t 60 -l "$DIR/log" \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >/dev/null
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres chat_widget_test
echo "PostgreSQL ($("$BIN/postgres" --version)) on 127.0.0.1:$PORT" >&2
TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/chat_widget_test" "$@"
