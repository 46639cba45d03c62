# Shared helpers for the bench/ scripts: sourced, not run.
# Servers started here are recorded by PID and stopped by PID on exit; nothing is killed by name.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER_BENCH="${PEER_BENCH:-$ROOT/../shared/peer-bench}"
DATA="${KLAXON_BENCH_DATA:-$ROOT/Benchmarks/.build-data}"
RUNS="${RUNS:-3}"
mkdir -p "$DATA"
BENCH_PIDS=()
BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/klaxon-bench.XXXXXX")"

bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]:-}"; do
        [ -n "$pid" ] || continue
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${BENCH_PIDS[@]:-}"; do
        [ -n "$pid" ] || continue
        # Bounded wait for a graceful stop, then SIGKILL the same PID.
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

# A free TCP port on 127.0.0.1 (bound to port 0 by the kernel, then released).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server NAME LOGFILE COMMAND...: starts COMMAND in the background and records its PID in BENCH_PIDS.
# Sets LAST_PID.
start_server() {
    local name="$1" logfile="$2"
    shift 2
    "$@" >"$logfile" 2>&1 &
    LAST_PID=$!
    BENCH_PIDS+=("$LAST_PID")
    log "started $name (pid $LAST_PID): $*"
}

# stop_server PID: stops one server we started, by PID, waiting at most 5 s.
stop_server() {
    local pid="$1"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}

# wait_http URL SECONDS PID: waits until URL answers 2xx, at most SECONDS, and fails early if PID exited.
wait_http() {
    local url="$1" seconds="$2" pid="$3"
    local tries=$((seconds * 5))
    for _ in $(seq 1 "$tries"); do
        if curl -fs -o /dev/null --max-time 2 "$url"; then return 0; fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# The 10 000-series body of the peers' runs (gen_body.py 100), made once.
body10k() {
    local file="$DATA/body10k.txt"
    if [ ! -s "$file" ]; then python3 "$PEER_BENCH/gen_body.py" 100 "$file"; fi
    printf '%s\n' "$file"
}

# put_body FILE URL: PUTs a text-format body; fails on a non-2xx answer.
put_body() {
    curl -fsS -o /dev/null --max-time 30 -X PUT -H 'Content-Type: text/plain; version=0.0.4' \
        --data-binary @"$1" "$2"
}

# median of numbers on standard input, one per line.
median() {
    python3 -c 'import sys,statistics; v=[float(x) for x in sys.stdin.read().split()]; print(statistics.median(v) if v else "nan")'
}

# ratio A B: A / B with two decimals, or n/a.
ratio() {
    python3 -c 'import sys
a,b=sys.argv[1],sys.argv[2]
try: print(f"{float(a)/float(b):.2f}")
except Exception: print("n/a")' "$1" "$2"
}

# The klaxon release binary, built at the repository root unless SKIP_BUILD=1.
klaxon_binary() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        log "building klaxon (release) at $ROOT"
        (cd "$ROOT" && swift build -c release --product klaxon >&2)
    fi
    printf '%s\n' "$ROOT/.build/release/klaxon"
}

# The klaxon release binary as the Dockerfile builds it (`--static-swift-stdlib`), in .build-static,
# built unless SKIP_BUILD=1. Memory figures use it: the Swift runtime's pages then count in the binary
# as they do in the image, not in shared libraries.
klaxon_static_binary() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        log "building klaxon (release, --static-swift-stdlib) at $ROOT/.build-static"
        (cd "$ROOT" && swift build -c release --product klaxon --static-swift-stdlib \
            --scratch-path "$ROOT/.build-static" >&2)
    fi
    printf '%s\n' "$ROOT/.build-static/release/klaxon"
}

# load_note: the machine's load, for the record beside each figure.
load_note() {
    printf 'load average %s (nproc %s)\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
}

# A Benchmarks executable (render, ruleeval), built in release unless SKIP_BUILD=1.
benchmarks_binary() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        log "building Benchmarks product $1 (release)"
        (cd "$ROOT/Benchmarks" && swift build -c release --product "$1" >&2)
    fi
    printf '%s\n' "$ROOT/Benchmarks/.build/release/$1"
}

# start_klaxon_with BODY: builds (unless SKIP_BUILD=1) and starts `klaxon serve` on a free port of
# 127.0.0.1 and PUTs BODY to /metrics/job/bench. On success sets KX_PORT and KX_PID; otherwise leaves
# KX_PORT empty and says why in KLAXON_NOTE, so the caller reports the peer's figure alone.
start_klaxon_with() {
    KX_PORT=""
    KLAXON_NOTE=""
    local klaxon port
    klaxon="$(klaxon_binary)" || { KLAXON_NOTE="klaxon did not build"; return 0; }
    [ -x "$klaxon" ] || { KLAXON_NOTE="no klaxon binary at $klaxon"; return 0; }
    port="$(free_port)"
    mkdir -p "$BENCH_TMP/klaxon-data"
    start_server klaxon "$BENCH_TMP/klaxon.log" \
        "$klaxon" serve --listen "127.0.0.1:$port" --data "$BENCH_TMP/klaxon-data" --log-level warning
    KX_PID="$LAST_PID"
    if ! wait_http "http://127.0.0.1:$port/metrics" 30 "$KX_PID"; then
        KLAXON_NOTE="klaxon serve does not answer GET /metrics on 127.0.0.1:$port ($(tail -n 1 "$BENCH_TMP/klaxon.log"))"
    elif ! put_body "$1" "http://127.0.0.1:$port/metrics/job/bench"; then
        KLAXON_NOTE="klaxon serve refused PUT /metrics/job/bench"
    else
        KX_PORT="$port"
    fi
}
