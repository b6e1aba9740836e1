#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests (CI) and prints its URL.
# Usage: scripts/pg_test_server.sh > env.sh && . env.sh   → exports SECDESK_TEST_PG_URL
# Fails (non-zero) when the server cannot start, so CI never silently skips the test.
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "echo 'PostgreSQL not installed; postgres tests will be skipped'"; exit 0; }
DIR=$(mktemp -d /tmp/secdesk-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chown postgres "$DIR" 2>/dev/null || true
RUN="runuser -u postgres --"
[ "$(id -u)" = "0" ] || RUN=""
$RUN "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
$RUN "$BIN/pg_ctl" -D "$DIR/data" -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" -l "$DIR/log" -w start >/dev/null
$RUN "$BIN/createdb" -h 127.0.0.1 -p $PORT -U postgres secdesk_test
echo "export SECDESK_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/secdesk_test"
