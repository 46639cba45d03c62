#!/usr/bin/env bash
# Rule evaluation: Prometheus 2.42 beside Klaxon on the peers' 200-rule group over 10 000 series.
# Prometheus scrapes a Pushgateway holding the 10 000-series body every 1 s and evaluates gen_rules.py's
# group every 1 s. Its group time climbs while the 5-minute lookback window fills, so it is read after
# WAIT_SECONDS (default 390 = 6.5 min): prometheus_rule_group_last_duration_seconds, READINGS times 1 s apart.
# Prometheus and Pushgateway are then stopped and Benchmarks' ruleeval runs the same group in-process on
# a store holding the same window. Prints both medians and the ratio Klaxon / Prometheus (goal ≤ 0.10).
# Environment: WAIT_SECONDS (390), READINGS (30), SKIP_BUILD=1 to use an existing Benchmarks build.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WAIT_SECONDS="${WAIT_SECONDS:-390}"
READINGS="${READINGS:-30}"
BODY="$(body10k)"
RULEEVAL="$(benchmarks_binary ruleeval)"

(cd "$BENCH_TMP" && python3 "$PEER_BENCH/gen_rules.py")
PG_PORT="$(free_port)"
PR_PORT="$(free_port)"
# The peers' prometheus.yml with this run's ports and rule file.
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
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['127.0.0.1:$PG_PORT']
  - job_name: prometheus
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['127.0.0.1:$PR_PORT']
YAML

start_server pushgateway "$BENCH_TMP/pushgateway.log" \
    prometheus-pushgateway --web.listen-address="127.0.0.1:$PG_PORT" --persistence.file=""
PG_PID="$LAST_PID"
wait_http "http://127.0.0.1:$PG_PORT/-/ready" 30 "$PG_PID" || { log "pushgateway did not start"; exit 1; }
put_body "$BODY" "http://127.0.0.1:$PG_PORT/metrics/job/bench"

start_server prometheus "$BENCH_TMP/prometheus.log" \
    prometheus --config.file="$BENCH_TMP/prometheus.yml" --storage.tsdb.path="$BENCH_TMP/prometheus-data" \
    --web.listen-address="127.0.0.1:$PR_PORT"
PR_PID="$LAST_PID"
wait_http "http://127.0.0.1:$PR_PORT/-/ready" 60 "$PR_PID" || {
    log "prometheus did not start: $(tail -n 3 "$BENCH_TMP/prometheus.log")"
    exit 1
}

# The group's last evaluation time in seconds, from Prometheus's own /metrics.
group_seconds() {
    curl -fs --max-time 5 "http://127.0.0.1:$PR_PORT/metrics" |
        awk '/^prometheus_rule_group_last_duration_seconds\{.*;bench"\}/ { print $2 }'
}
# One instant query's first value (or 0 when the result is empty).
instant() {
    curl -fs --max-time 10 --get --data-urlencode "query=$1" "http://127.0.0.1:$PR_PORT/api/v1/query" |
        python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'
}

log "waiting $WAIT_SECONDS s for Prometheus's lookback window to fill"
elapsed=0
while [ "$elapsed" -lt "$WAIT_SECONDS" ]; do
    step=$((WAIT_SECONDS - elapsed < 60 ? WAIT_SECONDS - elapsed : 60))
    sleep "$step"
    elapsed=$((elapsed + step))
    kill -0 "$PR_PID" 2>/dev/null || { log "prometheus exited: $(tail -n 3 "$BENCH_TMP/prometheus.log")"; exit 1; }
    log "  after ${elapsed} s: group took $(group_seconds) s"
done

: >"$BENCH_TMP/prometheus-readings.txt"
for _ in $(seq 1 "$READINGS"); do
    group_seconds >>"$BENCH_TMP/prometheus-readings.txt"
    sleep 1
done
PR_MEDIAN="$(median <"$BENCH_TMP/prometheus-readings.txt")"
PR_MAX="$(sort -g "$BENCH_TMP/prometheus-readings.txt" | tail -n 1)"
PR_ALERTS="$(instant 'count(ALERTS)')"
PR_FAILURES="$(instant 'sum(prometheus_rule_evaluation_failures_total)')"
PR_SERIES="$(instant 'count({__name__=~"bench_metric_.*"})')"
stop_server "$PR_PID"
stop_server "$PG_PID"

log "running Benchmarks ruleeval"
"$RULEEVAL" | tee "$BENCH_TMP/ruleeval.txt" >&2
KX_GROUP="$(sed -n 's/^KLAXON_RULEEVAL_GROUP_MEDIAN_SECONDS=//p' "$BENCH_TMP/ruleeval.txt")"
KX_P99="$(sed -n 's/^KLAXON_RULEEVAL_GROUP_P99_SECONDS=//p' "$BENCH_TMP/ruleeval.txt")"
KX_EXPR="$(sed -n 's/^KLAXON_RULEEVAL_EXPR_MEDIAN_SECONDS=//p' "$BENCH_TMP/ruleeval.txt")"
KX_ALERTS="$(sed -n 's/.*(\([0-9]*\) active alerts.*/\1/p' "$BENCH_TMP/ruleeval.txt")"

ms() { python3 -c 'import sys; print(f"{float(sys.argv[1])*1e3:.2f}")' "$1"; }
echo "rule-eval: 200-rule group over 10 000 series, 1 s evaluation; Prometheus read after ${WAIT_SECONDS} s; $(load_note)"
printf '  Prometheus 2.42  group %8s ms median of %s readings (max %s ms), %s series, %s ALERTS, %s failures\n' \
    "$(ms "$PR_MEDIAN")" "$READINGS" "$(ms "$PR_MAX")" "$PR_SERIES" "$PR_ALERTS" "$PR_FAILURES"
printf '  Klaxon           group %8s ms median (p99 %s ms), %s active alerts; expressions alone %s ms\n' \
    "$(ms "$KX_GROUP")" "$(ms "$KX_P99")" "$KX_ALERTS" "$(ms "$KX_EXPR")"
printf '  ratio Klaxon / Prometheus  %s  (goal ≤ 0.10)\n' "$(ratio "$KX_GROUP" "$PR_MEDIAN")"
echo "RESULT rule-eval klaxon=$KX_GROUP prometheus=$PR_MEDIAN ratio=$(ratio "$KX_GROUP" "$PR_MEDIAN")"
