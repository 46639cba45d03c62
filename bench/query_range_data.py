#!/usr/bin/env python3
"""The query-range benchmark's data: the peers' 10 000 series (gen_body.py 100: bench_metric_0..99
x 10 venues x 10 symbols, job="bench"), one sample every STEP seconds for COUNT steps from START
(Unix seconds), the value a deterministic walk from the body's value.

  query_range_data.py openmetrics FILE START STEP COUNT   # for promtool tsdb create-blocks-from openmetrics
  query_range_data.py push URL START STEP COUNT           # JSON batches to Klaxon's /api/v1/push, one per step
"""
import json, random, sys, urllib.request

mode, target, start, step, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
VENUES = [f"venue{v}" for v in range(10)]
SYMBOLS = ["AAPL", "MSFT", "GOOG", "AMZN", "TSLA", "NVDA", "META", "NFLX", "AMD", "INTC"]
random.seed(42)
series = []  # (family, venue, symbol, first value)
for f in range(100):
    for v in VENUES:
        for s in SYMBOLS:
            series.append((f"bench_metric_{f}", v, s, round(random.uniform(0, 2000), 4)))


def value(index, k):
    # Exactly representable steps of 0.25, so both sides hold the same doubles.
    return series[index][3] + ((k * 7 + index) % 13 - 6) * 0.25


if mode == "openmetrics":
    with open(target, "w") as out:
        for family in range(100):
            name = f"bench_metric_{family}"
            out.write(f"# TYPE {name} gauge\n")
            for index in range(family * 100, family * 100 + 100):
                _, venue, symbol, _ = series[index]
                labels = f'job="bench",symbol="{symbol}",venue="{venue}"'
                for k in range(count):
                    out.write(f"{name}{{{labels}}} {value(index, k)} {start + k * step}\n")
        out.write("# EOF\n")
elif mode == "push":
    for k in range(count):
        samples = [
            {"name": name, "labels": {"venue": venue, "symbol": symbol}, "value": value(index, k),
             "type": "gauge", "timestamp": (start + k * step) * 1000}
            for index, (name, venue, symbol, _) in enumerate(series)
        ]
        body = json.dumps({"job": "bench", "samples": samples}).encode()
        request = urllib.request.Request(target, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status != 200:
                sys.exit(f"push {k} answered {response.status}")
else:
    sys.exit(__doc__)
