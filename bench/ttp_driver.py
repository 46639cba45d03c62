#!/usr/bin/env python3
"""Time-to-page driver for Klaxon, after ../shared/peer-bench/time-to-page/driver.py (seq mode).

usage: ttp_driver.py KLAXON_URL MESSAGES.jsonl RESULT.json N TIMEOUT_S GAP_S
For each incident i: PUT ttp_trigger 1 to /metrics/job/ttp/incident/i, wait for the Telegram
message that names incident=i and says FIRING; PUT 0, wait for RESOLVED; sleep GAP_S.
Latency is from just before the push is sent to the message's arrival at the stand-in."""
import json, math, re, statistics, sys, time, urllib.request

URL, MESSAGES, RESULT, N, TIMEOUT, GAP = sys.argv[1:7]
N = int(N); TIMEOUT = float(TIMEOUT); GAP = float(GAP)
INCIDENT = re.compile(r"incident=(\d+)")

def push(i, value):
    request = urllib.request.Request(
        f"{URL}/metrics/job/ttp/incident/{i}", data=f"ttp_trigger {value}\n".encode(), method="PUT")
    started = time.time()
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
    return started

def messages():
    found = []
    try:
        with open(MESSAGES) as lines:
            for line in lines:
                record = json.loads(line)
                text = record["payload"].get("text", "")
                status = "resolved" if "RESOLVED" in text else "firing" if "FIRING" in text else "other"
                for incident in INCIDENT.findall(text):
                    found.append((record["arrival"], incident, status))
    except FileNotFoundError:
        pass
    return found

def wait(i, status, after):
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        for arrival, incident, seen in messages():
            if incident == str(i) and seen == status and arrival >= after:
                return arrival
        time.sleep(0.0005)
    return None

rows = []
started = time.time()
for i in range(1, N + 1):
    row = {"incident": i}
    row["push1"] = push(i, 1)
    arrival = wait(i, "firing", row["push1"])
    if arrival is None:
        row["fire_err"] = "timeout"
    else:
        row["fire_lat"] = arrival - row["push1"]
    row["push0"] = push(i, 0)
    arrival = wait(i, "resolved", row["push0"])
    if arrival is None:
        row["res_err"] = "timeout"
    else:
        row["res_lat"] = arrival - row["push0"]
    rows.append(row)
    time.sleep(GAP)

counts = {}
for _, incident, status in messages():
    counts[f"{incident}/{status}"] = counts.get(f"{incident}/{status}", 0) + 1
json.dump({"rows": rows, "notif_counts": counts, "wall_s": time.time() - started}, open(RESULT, "w"), indent=1)

def rank(values, p):
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]

for name, key in (("firing", "fire_lat"), ("resolved", "res_lat")):
    values = [row[key] * 1000 for row in rows if key in row]
    failures = sum(1 for row in rows if key not in row)
    if values:
        print(f"klaxon {name}: n={len(values)} failures={failures} median={statistics.median(values):.3f} ms "
              f"p99={rank(values, 99):.3f} ms max={max(values):.3f} ms")
    else:
        print(f"klaxon {name}: n=0 failures={failures}")
duplicates = sum(1 for count in counts.values() if count > 1)
print(f"klaxon messages per incident and status above 1: {duplicates}")
