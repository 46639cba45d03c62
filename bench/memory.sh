#!/usr/bin/env bash
# Memory on the peers' workload: the 10 000-series body (gen_body.py 100) pushed once a second, with the
# 200-rule group (gen_rules.py) loaded.
#
# 1. In-process, an hour of data (Benchmarks' `memory`): the body PUT into a SeriesStore 3 900 times at
#    synthetic 1 s timestamps (an hour kept, then the ring rolling over for 5 minutes), in three modes —
#    jitter (each push stamped on arrival, 1 000 ms ± 0…9 ms apart: the peers' workload as `klaxon serve`
#    sees it), steady (exact 1 000 ms steps), drift (jitter, and every value moves every second). Prints the
#    store's own accounting (klaxon_store_bytes: samples exact, labels and index estimated), bytes per
#    sample and the fill process's RSS.
# 2. Real servers, SERVE_MINUTES (default 10; 0 skips): `klaxon serve` with the 200 rules (built with
#    --static-swift-stdlib, as the Dockerfile builds the image's binary), and Prometheus
#    2.42 scraping a Pushgateway every 1 s with the same rules, both fed the body by PUT once a second by
#    one pusher each. RSS (/proc/PID/status VmRSS) of all three is sampled every minute; Klaxon's hour is
#    extrapolated, and stated as such, two ways: linearly from the growth per minute after the first minute
#    (an upper bound: a series' first chunks cost more than later samples), and by adding to the last RSS
#    what the in-process fill's chunks grow from SERVE_MINUTES to an hour (the store's own growth).
#    Nothing requests Klaxon's /metrics during the run (its exposition cache would count). Klaxon's RSS is
#    also shown split (a/f): anonymous memory (heap, stacks) and file-backed pages (code, libraries).
# Environment: SERVE_MINUTES (10), MODES ("jitter steady drift"), SECONDS_FILLED (3900), SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SERVE_MINUTES="${SERVE_MINUTES:-10}"
MODES="${MODES:-jitter steady drift}"
SECONDS_FILLED="${SECONDS_FILLED:-3900}"
BODY="$(body10k)"
MEMORY="$(benchmarks_binary memory)"

mb() { python3 -c 'import sys; print(f"{int(sys.argv[1])/1e6:.1f}")' "$1"; }
echo "== memory, in-process: $SECONDS_FILLED s of the 10 000-series body at 1 Hz; $(load_note)"
for mode in $MODES; do
    KLAXON_BENCH_DATA="$DATA" "$MEMORY" "$mode" "$SECONDS_FILLED" | tee "$BENCH_TMP/memory-$mode.txt"
done

[ "$SERVE_MINUTES" -gt 0 ] || exit 0
KLAXON_BENCH_DATA="$DATA" "$MEMORY" jitter "$((SERVE_MINUTES * 60))" >"$BENCH_TMP/memory-serve-span.txt"

rss_of() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# Klaxon's RSS split: anonymous (heap, stacks) and file-backed (the binary's code and data, libraries).
rss_split_of() { awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { printf "%.1f/%.1f", a / 1000, f / 1000 }' "/proc/$1/status" 2>/dev/null; }

(cd "$BENCH_TMP" && python3 "$PEER_BENCH/gen_rules.py")
# Klaxon's routing needs severity P0…P3 on every alerting rule; the peers' file says `warning`.
sed 's/severity: warning/severity: P3/' "$BENCH_TMP/rules.yml" >"$BENCH_TMP/klaxon-rules.yml"
KLAXON="$(klaxon_static_binary)"
KX_PORT="$(free_port)"
PG_PORT="$(free_port)"
PR_PORT="$(free_port)"
mkdir -p "$BENCH_TMP/klaxon-data"
cat >"$BENCH_TMP/klaxon.yml" <<YAML
rule_files:
  - $BENCH_TMP/klaxon-rules.yml
YAML
cat >"$BENCH_TMP/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $BENCH_TMP/rules.yml
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:$PG_PORT']
YAML
start_server klaxon "$BENCH_TMP/klaxon.log" "$KLAXON" serve --config "$BENCH_TMP/klaxon.yml" \
    --listen "127.0.0.1:$KX_PORT" --data "$BENCH_TMP/klaxon-data" --log-level warning
KX_PID="$LAST_PID"
start_server pushgateway "$BENCH_TMP/pushgateway.log" \
    prometheus-pushgateway --web.listen-address="127.0.0.1:$PG_PORT" --persistence.file=""
PG_PID="$LAST_PID"
start_server prometheus "$BENCH_TMP/prometheus.log" \
    prometheus --config.file="$BENCH_TMP/prometheus.yml" --storage.tsdb.path="$BENCH_TMP/prometheus-data" \
    --web.listen-address="127.0.0.1:$PR_PORT"
PR_PID="$LAST_PID"
wait_http "http://127.0.0.1:$KX_PORT/-/ready" 60 "$KX_PID" || {
    log "klaxon did not start: $(tail -n 3 "$BENCH_TMP/klaxon.log")"
    exit 1
}
wait_http "http://127.0.0.1:$PG_PORT/-/ready" 30 "$PG_PID" || { log "pushgateway did not start"; exit 1; }
wait_http "http://127.0.0.1:$PR_PORT/-/ready" 60 "$PR_PID" || { log "prometheus did not start"; exit 1; }

# One pusher per server, each PUTting the body on a fixed 1 s schedule over one keep-alive connection.
pusher() {
    python3 - "$BODY" "$1" <<'PY' &
import http.client, sys, time
body = open(sys.argv[1], "rb").read()
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]), timeout=30)
headers = {"Content-Type": "text/plain; version=0.0.4"}
next_push = time.monotonic()
while True:
    connection.request("PUT", "/metrics/job/bench", body, headers)
    connection.getresponse().read()
    next_push += 1
    time.sleep(max(0, next_push - time.monotonic()))
PY
    LAST_PID=$!
    BENCH_PIDS+=("$LAST_PID")
}
pusher "$KX_PORT"
pusher "$PG_PORT"

echo "== memory, real servers: $SERVE_MINUTES minutes at 1 Hz, RSS each minute (MB); $(load_note)"
printf '  %6s %10s %12s %12s %12s\n' minute klaxon prometheus pushgateway 'klaxon a/f'
: >"$BENCH_TMP/rss.txt"
for minute in $(seq 1 "$SERVE_MINUTES"); do
    sleep 60
    for pid in "$KX_PID" "$PR_PID" "$PG_PID"; do
        kill -0 "$pid" 2>/dev/null || { log "a server exited (pid $pid)"; exit 1; }
    done
    kx="$(rss_of "$KX_PID")"; pr="$(rss_of "$PR_PID")"; pg="$(rss_of "$PG_PID")"
    echo "$minute $kx $pr $pg" >>"$BENCH_TMP/rss.txt"
    printf '  %6s %10s %12s %12s %12s   (%s)\n' "$minute" "$(mb "$kx")" "$(mb "$pr")" "$(mb "$pg")" \
        "$(rss_split_of "$KX_PID")" "$(load_note)"
done
curl -fs "http://127.0.0.1:$KX_PORT/metrics" | grep -E '^klaxon_store_bytes|^klaxon_series(_stored)? ' | sed 's/^/  /'
python3 - "$BENCH_TMP/rss.txt" "$BENCH_TMP/memory-serve-span.txt" "$BENCH_TMP/memory-jitter.txt" <<'PY'
import re, sys
def samples_bytes(path):
    try:
        return int(re.search(r"samples_bytes=(\d+)", open(path).read()).group(1))
    except (OSError, AttributeError):
        return None
rows = [list(map(int, line.split())) for line in open(sys.argv[1]) if line.strip()]
if len(rows) >= 3:
    (m1, k1, *_), (mn, kn, pr, pg) = rows[0], rows[-1]
    per_minute = (kn - k1) / (mn - m1)
    hour = kn + per_minute * (60 - mn)
    print(f"  klaxon grew {per_minute / 1e6:.2f} MB/minute after minute {m1}; extrapolated to 60 minutes "
          f"(linear, not measured): {hour / 1e6:.1f} MB (goal ≤ 64 MB)")
    span, full = samples_bytes(sys.argv[2]), samples_bytes(sys.argv[3])
    by_store = kn + (full - span) if span is not None and full is not None else 0
    if by_store:
        print(f"  klaxon at minute {mn} plus the in-process chunks' growth from {mn} to 60 minutes "
              f"({(full - span) / 1e6:.1f} MB; estimated, not measured): {by_store / 1e6:.1f} MB (goal ≤ 64 MB)")
    print(f"  at minute {mn}: klaxon {kn / 1e6:.1f} MB, prometheus {pr / 1e6:.1f} MB + pushgateway {pg / 1e6:.1f} MB")
    print(f"RESULT memory-serve minutes={mn} klaxon={kn} prometheus={pr} pushgateway={pg} "
          f"klaxon_hour_extrapolated={int(hour)} klaxon_hour_by_store={int(by_store)}")
PY
