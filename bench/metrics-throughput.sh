#!/usr/bin/env bash
# /metrics throughput with the peers' 10 000 pushed series: klaxon serve beside Pushgateway 1.5.1.
# Both get the same body by PUT /metrics/job/bench; then wrk hits each /metrics in turn, RUNS times, with
# -t2 -c8 and with -t1 -c1 (wrk shares the cores with the server, as in the peers' run).
# Prints req/s (median of RUNS) and p50 latency for both, and the ratio Klaxon / Pushgateway.
# Environment: RUNS (3), DURATION (10s), SKIP_BUILD=1 to use an existing .build/release/klaxon.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10s}"
BODY="$(body10k)"

# One wrk run; prints "REQ_PER_S P50_MS".
wrk_once() {
    local threads="$1" connections="$2" url="$3"
    wrk -t"$threads" -c"$connections" -d"$DURATION" --latency "$url" | python3 -c '
import re, sys
text = sys.stdin.read()
rps = re.search(r"Requests/sec:\s+([0-9.]+)", text)
p50 = re.search(r"^\s+50%\s+([0-9.]+)(us|ms|s)\s*$", text, re.M)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: print(f"wrk: {errors.group(1)} non-2xx answers", file=sys.stderr); sys.exit(1)
scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
print(rps.group(1) if rps else "nan", f"{float(p50.group(1)) * scale[p50.group(2)]:.2f}" if p50 else "nan")'
}

# Lines of /metrics that are bench_metric_ samples, to check both hold the 10 000 series.
series_count() { curl -fs --max-time 10 "$1" | grep -c '^bench_metric_' || true; }

PG_PORT="$(free_port)"
start_server pushgateway "$BENCH_TMP/pushgateway.log" \
    prometheus-pushgateway --web.listen-address="127.0.0.1:$PG_PORT" --persistence.file=""
PG_PID="$LAST_PID"
wait_http "http://127.0.0.1:$PG_PORT/-/ready" 30 "$PG_PID" || { log "pushgateway did not start"; exit 1; }
put_body "$BODY" "http://127.0.0.1:$PG_PORT/metrics/job/bench"
PG_URL="http://127.0.0.1:$PG_PORT/metrics"

start_klaxon_with "$BODY"
KLAXON_URL=""
if [ -n "$KX_PORT" ]; then KLAXON_URL="http://127.0.0.1:$KX_PORT/metrics"; fi

log "pushgateway /metrics holds $(series_count "$PG_URL") bench series"
if [ -n "$KLAXON_URL" ]; then
    KX_SERIES="$(series_count "$KLAXON_URL")"
    log "klaxon /metrics holds $KX_SERIES bench series"
    if [ "$KX_SERIES" -ne 10000 ]; then
        KLAXON_NOTE="klaxon /metrics shows $KX_SERIES bench series, not 10000"
        KLAXON_URL=""
    fi
fi

echo "metrics-throughput: GET /metrics with 10 000 pushed series, wrk -d$DURATION, median of $RUNS runs; $(load_note)"
for shape in "2 8" "1 1"; do
    set -- $shape
    threads="$1"; connections="$2"
    : >"$BENCH_TMP/pg.txt"; : >"$BENCH_TMP/kx.txt"
    for _ in $(seq 1 "$RUNS"); do
        wrk_once "$threads" "$connections" "$PG_URL" >>"$BENCH_TMP/pg.txt"
        if [ -n "$KLAXON_URL" ]; then wrk_once "$threads" "$connections" "$KLAXON_URL" >>"$BENCH_TMP/kx.txt"; fi
    done
    PG_RPS="$(cut -d' ' -f1 "$BENCH_TMP/pg.txt" | median)"
    PG_P50="$(cut -d' ' -f2 "$BENCH_TMP/pg.txt" | median)"
    printf '  wrk -t%s -c%s  Pushgateway 1.5.1  %8.1f req/s  p50 %7.2f ms\n' "$threads" "$connections" "$PG_RPS" "$PG_P50"
    if [ -n "$KLAXON_URL" ]; then
        KX_RPS="$(cut -d' ' -f1 "$BENCH_TMP/kx.txt" | median)"
        KX_P50="$(cut -d' ' -f2 "$BENCH_TMP/kx.txt" | median)"
        printf '  wrk -t%s -c%s  klaxon serve       %8.1f req/s  p50 %7.2f ms\n' "$threads" "$connections" "$KX_RPS" "$KX_P50"
        printf '  wrk -t%s -c%s  ratio Klaxon / Pushgateway  %s×  (goal ≥ 5×)\n' "$threads" "$connections" \
            "$(ratio "$KX_RPS" "$PG_RPS")"
        echo "RESULT metrics-throughput -t$threads -c$connections klaxon=$KX_RPS pushgateway=$PG_RPS ratio=$(ratio "$KX_RPS" "$PG_RPS")"
    else
        printf '  wrk -t%s -c%s  klaxon serve       not measured: %s\n' "$threads" "$connections" "${KLAXON_NOTE:-unavailable}"
        echo "RESULT metrics-throughput -t$threads -c$connections klaxon=n/a pushgateway=$PG_RPS ratio=n/a"
    fi
done
