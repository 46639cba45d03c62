#!/usr/bin/env bash
# Scale: one rule over N (default 10 000) series fires at once; Klaxon (release build, SQLite WAL
# with synchronous FULL in a fresh data directory, `environment: prod`, P1 `group_wait: 0s`, a
# Telegram stand-in) routes and records them. Prints the time from the push to every `fired`
# record committed in SQLite (goal: within 2 s), to the grouped message at the stand-in, and
# small-push latency before and while the alerts are routed.
# No peer figure: Prometheus + Alertmanager have no audit store to compare with.
#
# usage: bench/alert-scale.sh [N=10000]      SKIP_BUILD=1 reuses the release build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${1:-10000}
if [ "${SKIP_BUILD:-0}" != 1 ]; then (cd "$ROOT" && swift build -c release --product klaxon >&2); fi
KLAXON="$ROOT/.build/release/klaxon"

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
telegram_port=$(free_port)
klaxon_port=$(free_port)
messages="$BENCH_TMP/telegram.jsonl"
start_server telegram-stand-in "$BENCH_TMP/telegram.log" python3 "$ROOT/bench/ttp_telegram.py" "$telegram_port" "$messages"
mkdir -p "$BENCH_TMP/rules" "$BENCH_TMP/data"
cat > "$BENCH_TMP/rules/scale.rules.yml" <<'RULES'
groups:
  - name: scale
    interval: 1m
    rules:
      - alert: OrdersRejected
        expr: scale_orders_rejected > 0
        labels:
          severity: P1
          source: Bench
RULES
cat > "$BENCH_TMP/klaxon.yml" <<CONFIG
environment: prod
data_dir: $BENCH_TMP/data
rule_files: ['$BENCH_TMP/rules/*.rules.yml']
receivers:
  - name: telegram
    telegram:
      bot_token: "1:bench"
      chat_id: "-1"
      api_url: http://127.0.0.1:$telegram_port
routing:
  severities:
    P1: {group_wait: 0s}
  escalation: {max: 0}
CONFIG
start_server klaxon "$BENCH_TMP/klaxon.log" "$KLAXON" serve --config "$BENCH_TMP/klaxon.yml" --listen "127.0.0.1:$klaxon_port"
klaxon_pid=$LAST_PID
wait_http "http://127.0.0.1:$klaxon_port/-/ready" 30 "$klaxon_pid" || { cat "$BENCH_TMP/klaxon.log" >&2; exit 1; }
python3 "$ROOT/bench/alert_scale.py" "http://127.0.0.1:$klaxon_port" "$BENCH_TMP/data/klaxon.db" "$messages" "$N"
stop_server "$klaxon_pid"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
