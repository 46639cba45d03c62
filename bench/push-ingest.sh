#!/usr/bin/env bash
# Push ingest with the peers' 10 000-series body: push_loop.py PUTs it N times over one keep-alive
# connection to klaxon serve and to Pushgateway 1.5.1 in turn, RUNS times each.
# Prints samples/s at the median push (median of RUNS) and the median push latency for both, and the ratio.
# FORMAT=protobuf pushes the same series as varint-delimited MetricFamily messages (what the Go client's
# push package sends; bench/text_to_protobuf.py encodes the body) with bench/push_loop_typed.py.
# Environment: PUSHES (50), RUNS (3), FORMAT (text|protobuf), SKIP_BUILD=1 to use an existing
# .build/release/klaxon.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PUSHES="${PUSHES:-50}"
FORMAT="${FORMAT:-text}"
BODY="$(body10k)"
PROTOBUF_TYPE="application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
if [ "$FORMAT" = protobuf ]; then
    PUSH_BODY="$DATA/body10k.pb"
    [ -s "$PUSH_BODY" ] || python3 "$ROOT/bench/text_to_protobuf.py" "$BODY" "$PUSH_BODY"
    SAMPLES="$(grep -vc '^#' "$BODY")"
fi

# One push loop against PORT; prints "SAMPLES_PER_S MEDIAN_MS".
push_once() {
    if [ "$FORMAT" = protobuf ]; then
        python3 "$ROOT/bench/push_loop_typed.py" "$PUSH_BODY" PUT "$PUSHES" 127.0.0.1 "$1" /metrics/job/bench \
            "$PROTOBUF_TYPE" "$SAMPLES"
    else
        python3 "$PEER_BENCH/push_loop.py" "$BODY" PUT "$PUSHES" 127.0.0.1 "$1" /metrics/job/bench
    fi | python3 -c '
import json, sys
result = json.loads(sys.stdin.read())
print(result["samples_per_s_at_median"], result["median_ms"])'
}

PG_PORT="$(free_port)"
start_server pushgateway "$BENCH_TMP/pushgateway.log" \
    prometheus-pushgateway --web.listen-address="127.0.0.1:$PG_PORT" --persistence.file=""
PG_PID="$LAST_PID"
wait_http "http://127.0.0.1:$PG_PORT/-/ready" 30 "$PG_PID" || { log "pushgateway did not start"; exit 1; }

start_klaxon_with "$BODY"

echo "push-ingest: PUT of the 10 000-series body ($FORMAT), $PUSHES pushes per run, median of $RUNS runs; $(load_note)"
NAME=push-ingest
[ "$FORMAT" = protobuf ] && NAME=push-ingest-protobuf
: >"$BENCH_TMP/pg.txt"; : >"$BENCH_TMP/kx.txt"
for _ in $(seq 1 "$RUNS"); do
    push_once "$PG_PORT" >>"$BENCH_TMP/pg.txt"
    if [ -n "$KX_PORT" ]; then push_once "$KX_PORT" >>"$BENCH_TMP/kx.txt"; fi
done
PG_RATE="$(cut -d' ' -f1 "$BENCH_TMP/pg.txt" | median)"
PG_MS="$(cut -d' ' -f2 "$BENCH_TMP/pg.txt" | median)"
printf '  Pushgateway 1.5.1  %10.0f samples/s  median push %7.2f ms\n' "$PG_RATE" "$PG_MS"
if [ -n "$KX_PORT" ]; then
    KX_RATE="$(cut -d' ' -f1 "$BENCH_TMP/kx.txt" | median)"
    KX_MS="$(cut -d' ' -f2 "$BENCH_TMP/kx.txt" | median)"
    printf '  klaxon serve       %10.0f samples/s  median push %7.2f ms\n' "$KX_RATE" "$KX_MS"
    printf '  ratio Klaxon / Pushgateway  %s×  (goal ≥ 3×)\n' "$(ratio "$KX_RATE" "$PG_RATE")"
    echo "RESULT $NAME klaxon=$KX_RATE pushgateway=$PG_RATE ratio=$(ratio "$KX_RATE" "$PG_RATE")"
else
    printf '  klaxon serve       not measured: %s\n' "${KLAXON_NOTE:-unavailable}"
    echo "RESULT $NAME klaxon=n/a pushgateway=$PG_RATE ratio=n/a"
fi
