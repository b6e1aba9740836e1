#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests (CI) and prints its URL.
# Usage: eval "$(scripts/pg_test_server.sh)"   → exports SECDESK_TEST_PG_URL
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "echo 'PostgreSQL not installed; postgres tests will be skipped'"; exit 0; }
DIR=$(mktemp -d /tmp/secdesk-pg.XXXXXX)
chown postgres "$DIR" 2>/dev/null || true
RUN="runuser -u postgres --"
[ "$(id -u)" = "0" ] || RUN=""
$RUN "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
$RUN "$BIN/pg_ctl" -D "$DIR/data" -o "-p 55432 -k $DIR -c listen_addresses=127.0.0.1" -l "$DIR/log" -w start >/dev/null
$RUN "$BIN/createdb" -h 127.0.0.1 -p 55432 -U postgres secdesk_test
echo "export SECDESK_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:55432/secdesk_test"
