#!/usr/bin/env bash
# Range queries: Klaxon beside Prometheus 2.42 on the same 10 000 series (the peers' body, job="bench")
# holding one hour of samples every 15 s. Prometheus gets them backfilled with
# `promtool tsdb create-blocks-from openmetrics`; Klaxon gets them pushed as JSON batches with the
# same timestamps. Both then answer the same /api/v1/query_range requests over that hour at a 15 s
# step (241 points per series), one server at a time while the other idles; the time is curl's
# total (request to last byte of the JSON), median of RUNS. Each answer's series count is checked.
#   all:  {__name__=~"bench_metric_.*"}                     10 000 series x 241 points out
#   sum:  sum by (venue) ({__name__=~"bench_metric_.*"})    10 000 series read per step, 10 out
#   topk: topk(5, {__name__=~"bench_metric_.*"})              10 000 series read per step, names kept
# (A range function over all 10 000 would drop the 100 metric names and leave series with equal
# labels, which both engines refuse.)
# Prints each median and the ratio Klaxon / Prometheus (below 1: Klaxon is faster).
# Environment: RUNS (5), SKIP_BUILD=1 to use an existing release build.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-5}"
STEP=15
COUNT=241
NOW="$(date +%s)"
# One hour ending a minute ago, on the step grid.
END=$(((NOW - 60) / STEP * STEP))
START=$((END - (COUNT - 1) * STEP))

KLAXON="$(klaxon_binary)"
log "writing the OpenMetrics backfill ($((COUNT * 10000)) samples)"
python3 "$ROOT/bench/query_range_data.py" openmetrics "$BENCH_TMP/backfill.om" "$START" "$STEP" "$COUNT"
mkdir -p "$BENCH_TMP/prometheus-data"
promtool tsdb create-blocks-from openmetrics "$BENCH_TMP/backfill.om" "$BENCH_TMP/prometheus-data" >/dev/null
rm -f "$BENCH_TMP/backfill.om"

PR_PORT="$(free_port)"
cat >"$BENCH_TMP/prometheus.yml" <<YAML
global:
  scrape_interval: 15s
scrape_configs: []
YAML
start_server prometheus "$BENCH_TMP/prometheus.log" \
    prometheus --config.file="$BENCH_TMP/prometheus.yml" --storage.tsdb.path="$BENCH_TMP/prometheus-data" \
    --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$PR_PORT" --log.level=warn
PR_PID="$LAST_PID"
wait_http "http://127.0.0.1:$PR_PORT/-/ready" 120 "$PR_PID" || {
    log "prometheus did not start: $(tail -n 3 "$BENCH_TMP/prometheus.log")"
    exit 1
}

KX_PORT="$(free_port)"
cat >"$BENCH_TMP/klaxon.yml" <<YAML
ingest:
  retention: 2h
  stale_after: 2h
query:
  timeout: 2m
YAML
mkdir -p "$BENCH_TMP/klaxon-data"
start_server klaxon "$BENCH_TMP/klaxon.log" "$KLAXON" serve --config "$BENCH_TMP/klaxon.yml" \
    --listen "127.0.0.1:$KX_PORT" --data "$BENCH_TMP/klaxon-data" --log-level warning
KX_PID="$LAST_PID"
wait_http "http://127.0.0.1:$KX_PORT/-/ready" 30 "$KX_PID" || { log "klaxon did not start"; exit 1; }
log "pushing the same samples to klaxon ($COUNT batches of 10 000)"
python3 "$ROOT/bench/query_range_data.py" push "http://127.0.0.1:$KX_PORT/api/v1/push" "$START" "$STEP" "$COUNT"

# seconds PORT QUERY EXPECTED_SERIES: one query_range's total time; fails when the answer is wrong.
seconds() {
    local port="$1" query="$2" expected="$3" out="$BENCH_TMP/answer.json" time
    time="$(curl -fsS -o "$out" -w '%{time_total}' --max-time 180 --get --data-urlencode "query=$query" \
        --data-urlencode "start=$START" --data-urlencode "end=$END" --data-urlencode "step=$STEP" \
        "http://127.0.0.1:$port/api/v1/query_range")"
    python3 - "$out" "$expected" "$COUNT" <<'PY' || return 1
import json, sys
result = json.load(open(sys.argv[1]))["data"]["result"]
expected, points = int(sys.argv[2]), int(sys.argv[3])
# expected 0: any number of series (topk's set changes over the steps), each point a step.
if expected and (len(result) != expected or any(len(s["values"]) != points for s in result)):
    sys.exit(f"expected {expected} series of {points} points, got {len(result)}")
if not expected and sum(len(s["values"]) for s in result) != 5 * points:
    sys.exit(f"expected 5 points per step, got {sum(len(s['values']) for s in result)}")
PY
    printf '%s\n' "$time"
}

for name in all sum topk; do
    case "$name" in
    all) query='{__name__=~"bench_metric_.*"}'; expected=10000 ;;
    sum) query='sum by (venue) ({__name__=~"bench_metric_.*"})'; expected=10 ;;
    topk) query='topk(5, {__name__=~"bench_metric_.*"})'; expected=0 ;;
    esac
    : >"$BENCH_TMP/k.txt"
    : >"$BENCH_TMP/p.txt"
    # One untimed query each first (caches, page faults), then alternate.
    seconds "$KX_PORT" "$query" "$expected" >/dev/null
    seconds "$PR_PORT" "$query" "$expected" >/dev/null
    for _ in $(seq 1 "$RUNS"); do
        seconds "$KX_PORT" "$query" "$expected" >>"$BENCH_TMP/k.txt"
        seconds "$PR_PORT" "$query" "$expected" >>"$BENCH_TMP/p.txt"
    done
    k="$(median <"$BENCH_TMP/k.txt")"
    p="$(median <"$BENCH_TMP/p.txt")"
    log "$name: $query"
    log "  klaxon $(tr '\n' ' ' <"$BENCH_TMP/k.txt")s; prometheus $(tr '\n' ' ' <"$BENCH_TMP/p.txt")s"
    echo "RESULT query-range-$name klaxon=$k prometheus=$p ratio=$(ratio "$k" "$p")"
done
echo "klaxon rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$KX_PID/status") prometheus rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$PR_PID/status")"
load_note
