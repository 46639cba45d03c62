#!/usr/bin/env python3
"""Driver for bench/alert-scale.sh: one rule over N series fires at once.

usage: alert_scale.py KLAXON_URL SQLITE_DB TELEGRAM_JSONL N
Measures small-push latency before (baseline) and while the N alerts are routed, the time from
the big push to every `fired` record committed in SQLite, and to the Telegram stand-in's message."""
import json, os, sqlite3, statistics, sys, threading, time, urllib.request

URL, DB, MESSAGES, N = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def put(path, body):
    request = urllib.request.Request(URL + path, data=body.encode(), method="PUT")
    started = time.perf_counter()
    urllib.request.urlopen(request).read()
    return time.perf_counter() - started

def probe(seconds, out):
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        out.append(put("/metrics/job/probe", f"engine_loop_latency_seconds {i % 7}\n"))
        i += 1
        time.sleep(0.01)

def fired_count():
    try:
        with sqlite3.connect(f"file:{DB}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM audit WHERE kind = 'fired'").fetchone()[0]
    except sqlite3.Error:
        return 0

def message_arrival():
    if not os.path.exists(MESSAGES):
        return None
    with open(MESSAGES) as lines:
        for line in lines:
            return json.loads(line)["arrival"]
    return None

def quantiles(values):
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[int(0.99 * (len(ordered) - 1))] * 1000

baseline = []
probe(2, baseline)
body = "".join(f'scale_orders_rejected{{order="o{i}"}} 1\n' for i in range(N))
during = []
prober = threading.Thread(target=probe, args=(4, during))
start = time.time()
push_seconds = put("/metrics/job/engine", body)
prober.start()
recorded_at = message_at = None
while time.time() - start < 60 and (recorded_at is None or message_at is None):
    if recorded_at is None and fired_count() >= N:
        recorded_at = time.time()
    if message_at is None:
        message_at = message_arrival()
    time.sleep(0.005)
prober.join()
b50, b99 = quantiles(baseline)
d50, d99 = quantiles(during)
print(f"series: {N}; the big push answered in {push_seconds * 1000:.1f} ms")
print(f"all {N} fired records committed in SQLite: " +
      (f"{(recorded_at - start) * 1000:.0f} ms after the push (goal < 2000 ms)" if recorded_at else "not within 60 s"))
print("the grouped notification at the Telegram stand-in: " +
      (f"{(message_at - start) * 1000:.0f} ms after the push" if message_at else "not within 60 s"))
print(f"small-push latency, baseline: median {b50:.2f} ms, p99 {b99:.2f} ms ({len(baseline)} pushes)")
print(f"small-push latency, while routing: median {d50:.2f} ms, p99 {d99:.2f} ms ({len(during)} pushes)")
