#!/usr/bin/env bash
# Time to page: a push that breaks a P0 rule -> the message arrives at a Telegram stand-in,
# and the push that clears it -> the resolution arrives; Klaxon beside the peers' path
# (Pushgateway -> Prometheus -> Alertmanager -> webhook) measured in the same run.
#
# usage: bench/time-to-page.sh [N=200] [PEER_N=20]
#
# Klaxon: release build, `environment: prod`, the outbox durable in SQLite (WAL, synchronous
# FULL) in a fresh data directory, one rule `ttp_trigger > 0` (P0, `for: 0s`, group interval
# 1m: only evaluation on push can fire it within milliseconds), a `telegram` receiver whose
# `api_url` is bench/ttp_telegram.py on a free port of 127.0.0.1, `group_by: [alertname,
# incident]` as the peers' config, no rate limit and no escalation (each incident pages once).
# bench/ttp_driver.py pushes incident i, waits for its FIRING message, clears it, waits for
# RESOLVED; latency is from just before the PUT to the message's arrival.
# Peers: ../shared/peer-bench/time-to-page/run.sh fast PEER_N (1 s scrape, 1 s evaluation,
# group_wait 0s, group_interval 1s), which takes about 4 s per incident.
# SKIP_BUILD=1 reuses the release build; SKIP_PEER=1 measures Klaxon only.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${1:-200}
PEER_N=${2:-20}
if [ "${SKIP_BUILD:-0}" != 1 ]; then (cd "$ROOT" && swift build -c release --product klaxon >&2); fi
KLAXON="$ROOT/.build/release/klaxon"

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
telegram_port=$(free_port)
klaxon_port=$(free_port)
messages="$BENCH_TMP/telegram.jsonl"
start_server telegram-stand-in "$BENCH_TMP/telegram.log" python3 "$ROOT/bench/ttp_telegram.py" "$telegram_port" "$messages"
mkdir -p "$BENCH_TMP/rules" "$BENCH_TMP/data"
cat > "$BENCH_TMP/rules/ttp.rules.yml" <<'RULES'
groups:
  - name: ttp
    interval: 1m
    rules:
      - alert: TTPTrigger
        expr: ttp_trigger > 0
        for: 0s
        labels:
          severity: P0
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
  group_by: [alertname, incident]
  severities:
    P0: {rate_limit: 0}
  escalation: {max: 0}
CONFIG
start_server klaxon "$BENCH_TMP/klaxon.log" "$KLAXON" serve --config "$BENCH_TMP/klaxon.yml" --listen "127.0.0.1:$klaxon_port"
klaxon_pid=$LAST_PID
wait_http "http://127.0.0.1:$klaxon_port/-/ready" 30 "$klaxon_pid" || { cat "$BENCH_TMP/klaxon.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$telegram_port/" 10 "$klaxon_pid" || true

log "klaxon: $N incidents"
python3 "$ROOT/bench/ttp_driver.py" "http://127.0.0.1:$klaxon_port" "$messages" "$BENCH_TMP/klaxon-result.json" \
    "$N" 5 "${GAP_S:-0.05}"
stop_server "$klaxon_pid"

if [ "${SKIP_PEER:-0}" != 1 ]; then
    log "peers (Pushgateway + Prometheus + Alertmanager, fast config): $PEER_N incidents"
    B=$((20000 + RANDOM % 20000)) TTP_DIR="$BENCH_TMP/peer" bash "$PEER_BENCH/time-to-page/run.sh" fast "$PEER_N" 10 seq \
        > "$BENCH_TMP/peer.log" 2>&1 || true
    grep -E "^(incidents|firing latency|resolved latency)" "$BENCH_TMP/peer.log" | sed 's/^/peer /'
    python3 - "$BENCH_TMP/klaxon-result.json" "$BENCH_TMP/peer/fast/result.json" <<'RATIO'
import json, statistics, sys
def latencies(path, key):
    try:
        rows = json.load(open(path))["rows"]
    except (OSError, ValueError):
        return []
    return [row[key] for row in rows if key in row]
for name, key in (("firing", "fire_lat"), ("resolved", "res_lat")):
    klaxon, peer = latencies(sys.argv[1], key), latencies(sys.argv[2], key)
    if klaxon and peer:
        k, p = statistics.median(klaxon), statistics.median(peer)
        print(f"{name} median: klaxon {k * 1000:.3f} ms, peers {p * 1000:.1f} ms, peers/klaxon {p / k:.0f}x")
RATIO
fi
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
