#!/usr/bin/env bash
# The store's audit write rate (events/s) on SQLite and PostgreSQL, in batches of 1 and 100, through
# AlertStore.apply and through StoreWriter (Benchmarks/storewrite). PostgreSQL 15 (Debian `postgresql`)
# runs with its default durability (fsync, synchronous_commit on) from a cluster made by initdb in a
# temporary folder, on a free port of 127.0.0.1, as the system user postgres when run as root; it is
# stopped by PID (SIGINT). SQLite runs as Klaxon opens it: WAL, synchronous=FULL, in the same folder.
# No peer to compare with: the figures are Klaxon's own, for before/after comparisons.
# Environment: RUNS (3), EVENTS (20000), SKIP_BUILD=1 to use an existing Benchmarks build.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
EVENTS="${EVENTS:-20000}"
STOREWRITE="$(benchmarks_binary storewrite)"

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PG_BIN/initdb" ] || { log "PostgreSQL is not installed (apt-get install postgresql)"; exit 1; }
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
    as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    chown postgres: "$BENCH_TMP"
fi
"${as_postgres[@]}" "$PG_BIN/initdb" -D "$BENCH_TMP/pg" -U postgres --auth=trust --no-locale -E UTF8 \
    >"$BENCH_TMP/initdb.log" 2>&1 || { log "initdb failed: $(tail -n 3 "$BENCH_TMP/initdb.log")"; exit 1; }
PORT="$(free_port)"
start_server postgres "$BENCH_TMP/postgres.log" "${as_postgres[@]}" "$PG_BIN/postgres" -D "$BENCH_TMP/pg" \
    -p "$PORT" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$BENCH_TMP"
PG_PID="$LAST_PID"
for _ in $(seq 1 100); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
    kill -0 "$PG_PID" 2>/dev/null || { log "postgres exited: $(tail -n 3 "$BENCH_TMP/postgres.log")"; exit 1; }
    sleep 0.2
done
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres klaxon_bench

echo "store-write: $(load_note)"
mkdir -p "$BENCH_TMP/sqlite"
"$STOREWRITE" --runs "$RUNS" --events "$EVENTS" --sqlite "$BENCH_TMP/sqlite/klaxon.db" \
    --postgres "postgres://postgres@127.0.0.1:$PORT/klaxon_bench"
# SIGINT is PostgreSQL's fast shutdown; lib.sh's exit trap would send SIGTERM (smart shutdown).
kill -INT "$PG_PID" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
