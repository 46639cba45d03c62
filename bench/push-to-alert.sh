#!/usr/bin/env bash
# Push -> alert transition latency of `klaxon serve` (the rule-engine issue's detection benchmark).
#
# usage: bench/push-to-alert.sh [N=1000] [--gap-ms MS] [--timeout-ms MS] [--nice PRIO] [--with-peer] [--keep]
#
# Builds klaxon in release, writes a klaxon.yml and a rule file with one P0 alerting rule
# (`bench_trigger > 0`, `for: 0s`) in a group evaluated only once a minute, so a transition
# within milliseconds of a push can only come from evaluation on push. Starts klaxon on
# 127.0.0.1 (a free port) once with `--log-format json` and once with the default (logfmt),
# its standard error going into a FIFO read by push_to_alert.py, which pushes N times and
# times each push -> `alert state changed` line. Prints the result as JSON and as a table,
# with the peer figure (stored, or from this run with --with-peer).
#
# --with-peer  also runs /work/shared/peer-bench/time-to-page/run.sh fast-jitter 5 (needs
#              prometheus, prometheus-pushgateway, prometheus-alertmanager; about a minute).
# --nice PRIO  run klaxon and the driver under `nice -n PRIO` (negative needs root): on a machine
#              busy with other work, shows what the code costs apart from waiting for a CPU.
# --keep       keep the temporary directory (configs, klaxon logs, results).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEER_RIG=${PEER_RIG:-/work/shared/peer-bench/time-to-page/run.sh}
N=1000
GAP_MS=0
TIMEOUT_MS=1000
WITH_PEER=0
NICE=()
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --gap-ms) GAP_MS=$2; shift 2 ;;
        --timeout-ms) TIMEOUT_MS=$2; shift 2 ;;
        --nice) NICE=(nice -n "$2"); shift 2 ;;
        --with-peer) WITH_PEER=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        [0-9]*) N=$1; shift ;;
        *) echo "push-to-alert.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/klaxon-push-to-alert.XXXXXX")
KLAXON_PID=""
stop_klaxon() {
    if [ -n "$KLAXON_PID" ]; then
        kill "$KLAXON_PID" 2>/dev/null || true
        wait "$KLAXON_PID" 2>/dev/null || true
        KLAXON_PID=""
    fi
}
cleanup() {
    stop_klaxon
    exec 3>&-
    if [ "$KEEP" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "== building klaxon (release)"
(cd "$ROOT" && swift build -c release --product klaxon 2>&1 | tail -n 1)
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/klaxon"

cat > "$WORK/klaxon.yml" <<EOF
data_dir: $WORK/data
rule_files:
  - bench-rules.yml
EOF
# A one-minute interval: only evaluation on push (eval_on_push, on by default) explains a
# transition within milliseconds of the push.
cat > "$WORK/bench-rules.yml" <<'EOF'
groups:
  - name: push-to-alert
    interval: 1m
    rules:
      - alert: BenchTrigger
        expr: bench_trigger > 0
        for: 0s
        labels:
          severity: P0
          rule_id: bench-trigger
          source: push-to-alert-bench
        annotations:
          summary: bench_trigger is {{ $value }}
EOF
"$BIN" check config "$WORK/klaxon.yml" >/dev/null

echo "== machine: $(nproc) cores; load before: $(uptime)"
RESULTS=()
for FORMAT in json logfmt; do
    PORT=$(free_port)
    FIFO="$WORK/stderr-$FORMAT.fifo"
    mkfifo "$FIFO"
    # Held open read-write by this shell: klaxon's open of the FIFO never blocks, and klaxon
    # never writes into a FIFO without a reader (SIGPIPE) after the driver has exited.
    exec 3<>"$FIFO"
    FLAGS=(serve --listen "127.0.0.1:$PORT" --config "$WORK/klaxon.yml")
    # logfmt is the default: that pass runs without the flag, as an operator would.
    [ "$FORMAT" = json ] && FLAGS+=(--log-format json)
    echo "== ${NICE[*]}${NICE:+ }klaxon ${FLAGS[*]}"
    "${NICE[@]}" "$BIN" "${FLAGS[@]}" >"$WORK/stdout-$FORMAT.log" 2>"$FIFO" &
    KLAXON_PID=$!
    "${NICE[@]}" python3 "$HERE/push_to_alert.py" --log "$FIFO" --port "$PORT" --pushes "$N" --format "$FORMAT" \
        --gap-ms "$GAP_MS" --timeout-ms "$TIMEOUT_MS" --json-out "$WORK/result-$FORMAT.json"
    stop_klaxon
    exec 3>&-
    RESULTS+=("$WORK/result-$FORMAT.json")
done
echo "== load after: $(uptime)"

PEER_ARGS=()
if [ "$WITH_PEER" = 1 ]; then
    missing=""
    for tool in prometheus prometheus-pushgateway prometheus-alertmanager curl; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
    done
    if [ -n "$missing" ]; then
        echo "== peer not run: not installed:$missing (printing the stored peer figure only)"
    else
        # The rig takes ports B..B+5; it stops its own processes by PID.
        BASE=$(python3 -c '
import socket
for base in range(24090, 30000, 10):
    try:
        socks = []
        for p in range(base, base + 6):
            s = socket.socket(); s.bind(("127.0.0.1", p)); socks.append(s)
        print(base); break
    except OSError:
        pass
')
        echo "== peer: $PEER_RIG fast-jitter 5 10 seq 120 1 (ports $BASE..$((BASE + 5)))"
        B=$BASE TTP_DIR="$WORK/peer" bash "$PEER_RIG" fast-jitter 5 10 seq 120 1 > "$WORK/peer.log" 2>&1 || true
        if [ -f "$WORK/peer/fast-jitter/result.json" ]; then
            grep -E 'incidents:|latency' "$WORK/peer.log" || true
            PEER_ARGS=(--peer-result "$WORK/peer/fast-jitter/result.json")
        else
            echo "== peer run failed; last lines of its log:"; tail -n 15 "$WORK/peer.log"
        fi
    fi
fi

echo "== result"
python3 "$HERE/push_to_alert.py" --report "${RESULTS[@]}" "${PEER_ARGS[@]}"
