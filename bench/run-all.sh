#!/usr/bin/env bash
# Runs every benchmark in sequence (never two at once: they share the machine's cores) and prints a
# summary table of Klaxon's figure, the peer's figure from the same run, the ratio and the goal.
# Builds once: klaxon (release) at the repository root and the Benchmarks package (release).
# Environment: as the scripts it runs (RUNS, DURATION, PUSHES, WAIT_SECONDS, READINGS); SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$ROOT/bench"
OUT="$BENCH_TMP/out.txt"
: >"$OUT"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    klaxon_binary >/dev/null || log "klaxon did not build; its server figures will be missing"
    (cd "$ROOT/Benchmarks" && swift build -c release >&2)
fi
export SKIP_BUILD=1

echo "== render and parse (Benchmarks/render)"
"$ROOT/Benchmarks/.build/release/render" | tee -a "$OUT"
for script in metrics-throughput push-ingest rule-eval query-range; do
    echo "== $script"
    "$HERE/$script.sh" | tee -a "$OUT" || echo "RESULT $script failed" | tee -a "$OUT"
done
echo "== push-ingest (protobuf)"
FORMAT=protobuf "$HERE/push-ingest.sh" | tee -a "$OUT" || echo "RESULT push-ingest-protobuf failed" | tee -a "$OUT"
# The in-process hour only: the 10-minute serve run is bench/memory.sh on its own.
echo "== memory (in-process hour, jitter)"
SERVE_MINUTES=0 MODES=jitter "$HERE/memory.sh" | tee -a "$OUT" || echo "RESULT memory failed" | tee -a "$OUT"

python3 - "$OUT" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def value(key):
    m = re.search(rf"^{key}=(\S+)$", text, re.M)
    return float(m.group(1)) if m else None
def result(prefix):
    m = re.search(rf"^RESULT {re.escape(prefix)} klaxon=(\S+) \w+=(\S+) ratio=(\S+)$", text, re.M)
    return (m.group(1), m.group(2), m.group(3)) if m else ("n/a", "n/a", "n/a")
def num(x, scale=1.0, fmt="{:.1f}"):
    try: return fmt.format(float(x) * scale)
    except (TypeError, ValueError): return "n/a"
rows = []
kr, ks, sp = value("KLAXON_RENDER_MEDIAN_SECONDS"), value("KLAXON_SNAPSHOT_RENDER_MEDIAN_SECONDS"), value("SWIFT_PROMETHEUS_EMIT_MEDIAN_SECONDS")
rows.append(("render 10 000 series (µs)", num(kr, 1e6), num(sp, 1e6), num(sp / kr if kr and sp else None, fmt="{:.2f}×"), "≥ 3× faster"))
rows.append(("snapshot + render (µs)", num(ks, 1e6), num(sp, 1e6), num(sp / ks if ks and sp else None, fmt="{:.2f}×"), "≥ 3× faster"))
rows.append(("parse body10k (samples/s)", num(value("KLAXON_PARSE_SAMPLES_PER_SECOND"), fmt="{:.0f}"), "—", "—", "—"))
rows.append(("parse + store.replace (samples/s)", num(value("KLAXON_INGEST_SAMPLES_PER_SECOND"), fmt="{:.0f}"), "—", "—", "—"))
for shape in ("-t2 -c8", "-t1 -c1"):
    k, p, r = result(f"metrics-throughput {shape}")
    rows.append((f"/metrics wrk {shape} (req/s)", num(k), num(p), r + ("×" if r != "n/a" else ""), "≥ 5×"))
k, p, r = result("push-ingest")
rows.append(("push PUT (samples/s)", num(k, fmt="{:.0f}"), num(p, fmt="{:.0f}"), r + ("×" if r != "n/a" else ""), "≥ 3×"))
k, p, r = result("push-ingest-protobuf")
rows.append(("push PUT protobuf (samples/s)", num(k, fmt="{:.0f}"), num(p, fmt="{:.0f}"), r + ("×" if r != "n/a" else ""), "≥ 3×"))
k, p, r = result("rule-eval")
rows.append(("200-rule group (ms)", num(k, 1e3, "{:.2f}"), num(p, 1e3, "{:.2f}"), r, "≤ 0.10"))
for shape in ("all", "sum", "topk"):
    k, p, r = result(f"query-range-{shape}")
    rows.append((f"query_range 10k x 1h {shape} (ms)", num(k, 1e3, "{:.0f}"), num(p, 1e3, "{:.0f}"), r, "—"))
m = re.search(r"^KLAXON_MEMORY mode=jitter samples_bytes=(\d+) labels_bytes=(\d+) index_bytes=(\d+) "
              r"sample_count=\d+ bytes_per_sample=(\S+)", text, re.M)
if m:
    store = sum(int(m.group(i)) for i in (1, 2, 3))
    rows.append(("bytes per sample (1 h, jitter)", m.group(4), "16 raw", "—", "—"))
    rows.append(("store after 1 h of body10k (MB)", num(store, 1e-6), "—", "—", "≤ 64 MB RSS"))
print()
print(f"{'benchmark':34} {'Klaxon':>12} {'peer':>12} {'ratio':>8}  goal")
for name, k, p, r, goal in rows:
    print(f"{name:34} {k:>12} {p:>12} {r:>8}  {goal}")
print("(peers: swift-prometheus 2.4.1, Pushgateway 1.5.1, Prometheus 2.42; ratios are from the same run)")
PY
