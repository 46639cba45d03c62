#!/usr/bin/env python3
"""push_loop.py (../shared/peer-bench) with the body's Content-Type and its sample count given, so a
protobuf body is pushed the same way: N pushes over one keep-alive connection after 5 warm-up pushes.
usage: push_loop_typed.py BODYFILE METHOD N HOST PORT PATH CONTENT_TYPE SAMPLES"""
import http.client, json, statistics, sys, time
body = open(sys.argv[1], "rb").read()
method, n, host, port, path = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
headers = {"Content-Type": sys.argv[7]}
samples = int(sys.argv[8])
conn = http.client.HTTPConnection(host, port)
def once():
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read()
    if response.status // 100 != 2:
        raise SystemExit(f"HTTP {response.status}: {text[:300]!r}")
for _ in range(5):
    once()
times = []
for _ in range(n):
    start = time.perf_counter()
    once()
    times.append(time.perf_counter() - start)
median = statistics.median(times)
print(json.dumps({"method": method, "bytes": len(body), "samples_per_push": samples, "pushes": n,
    "median_ms": round(median * 1e3, 3), "samples_per_s_at_median": round(samples / median)}))
