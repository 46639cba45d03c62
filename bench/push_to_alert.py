#!/usr/bin/env python3
"""Push -> alert transition latency of a running `klaxon serve` (standard library only).

Two modes:

  measure   push_to_alert.py --log FIFO --port PORT [--pushes N] [--format json|logfmt] ...
            Reads klaxon's standard error from FIFO in a thread and, over one keep-alive
            connection, alternately PUTs `bench_trigger 1` (expects alert.state=firing) and
            `bench_trigger 0` (expects alert.state=resolved) to /metrics/job/bench. For each
            push it records the time from just before the request is sent to the arrival of
            the matching `alert state changed` log line, and the HTTP round trip alone.
            Writes the result as JSON (--json-out) and prints a short summary.

  report    push_to_alert.py --report RESULT.json... [--peer-result PEER.json]
            Prints the results of one or more measure runs as JSON and as a table, with the
            peer figure (Prometheus + Pushgateway + Alertmanager, `fast` config) beside them.

Started by bench/push-to-alert.sh, which builds klaxon, writes the config and owns the process.
"""

import argparse
import http.client
import json
import math
import os
import queue
import statistics
import sys
import threading
import time

RULE_NAME = "BenchTrigger"
PUSH_PATH = "/metrics/job/bench"
MAX_LINE_BYTES = 1 << 20  # a longer "line" is not klaxon's log; drop it rather than grow

# The stored peer figure (/work/shared/peer-bench/README.md, "Time to page"): Prometheus 2.42 +
# Pushgateway 1.5.1 + Alertmanager, `fast-jitter` config (1 s scrape and evaluation,
# group_wait 0s, group_interval 1s), 20 incidents, push -> firing webhook.
STORED_PEER = {
    "source": "stored figure from the peer-bench run (/work/shared/peer-bench/README.md), not from this run",
    "setup": "Prometheus 2.42 + Pushgateway 1.5.1 + Alertmanager, fast-jitter config "
    "(1 s scrape/eval, group_wait 0s, group_interval 1s), 20 incidents",
    "firing_median_ms": 885.0,
    "firing_min_ms": 554.0,
    "firing_max_ms": 1951.0,
    "resolved_note": "resolved ~1 s",
}


# MARK: - Statistics


def nearest_rank(sorted_values, percent):
    """Nearest-rank percentile, as the peer-bench stats.py computes it."""
    return sorted_values[max(0, math.ceil(percent / 100 * len(sorted_values)) - 1)]


def summarize(values_ms):
    if not values_ms:
        return {"count": 0}
    ordered = sorted(values_ms)
    return {
        "count": len(ordered),
        "min_ms": round(ordered[0], 3),
        "median_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(nearest_rank(ordered, 90), 3),
        "p99_ms": round(nearest_rank(ordered, 99), 3),
        "max_ms": round(ordered[-1], 3),
        "over_5ms": sum(v >= 5 for v in ordered),
    }


# MARK: - Log reading


def parse_logfmt(line):
    """key=value pairs; a quoted value is a JSON string literal (klaxon's LogEscaping)."""
    fields = {}
    decoder = json.JSONDecoder()
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i] == " ":
            i += 1
        eq = line.find("=", i)
        if eq < 0:
            break
        key = line[i:eq]
        i = eq + 1
        if i < n and line[i] == '"':
            value, i = decoder.raw_decode(line, i)
        else:
            end = line.find(" ", i)
            end = n if end < 0 else end
            value, i = line[i:end], end
        fields[key] = value
    return fields


def parse_line(text, log_format):
    try:
        if log_format == "json":
            fields = json.loads(text)
            return fields if isinstance(fields, dict) else None
        return parse_logfmt(text)
    except ValueError:
        return None


class LogReader(threading.Thread):
    """Reads the log pipe, stamps each line with the monotonic time its bytes arrived."""

    def __init__(self, path, log_format):
        super().__init__(daemon=True)
        self.fd = os.open(path, os.O_RDONLY)
        self.log_format = log_format
        self.events = queue.Queue()
        self.unparsed = 0

    def run(self):
        pending = b""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            arrived = time.perf_counter_ns()
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            if len(pending) > MAX_LINE_BYTES:
                pending = b""
            for raw in lines:
                text = raw.decode("utf-8", "replace")
                fields = parse_line(text, self.log_format)
                if fields is None:
                    self.unparsed += 1
                    fields = {"msg": None}
                self.events.put((arrived, fields, text))
        self.events.put((time.perf_counter_ns(), {"msg": "<log closed>"}, ""))


# MARK: - Measuring


def wait_ready(reader, host, port, timeout_s):
    """Waits for `klaxon started` on the log, then for /-/ready to answer 200."""
    deadline = time.monotonic() + timeout_s
    started = False
    while not started:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SystemExit(f"klaxon did not log 'klaxon started' within {timeout_s:.0f} s")
        try:
            _, fields, text = reader.events.get(timeout=left)
        except queue.Empty:
            continue
        msg = fields.get("msg")
        if msg == "klaxon started":
            started = True
        elif msg == "<log closed>":
            raise SystemExit("klaxon closed its standard error before starting (see the lines above)")
        elif msg is None or fields.get("level") in ("warning", "error"):
            print(f"klaxon: {text}", file=sys.stderr)
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/-/ready")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"klaxon's /-/ready did not answer 200 within {timeout_s:.0f} s")


class Pusher:
    """One keep-alive connection; reconnects once if the server closed it."""

    def __init__(self, host, port, timeout_s):
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self.conn = None
        self.reconnects = 0

    def push(self, value):
        body = f"bench_trigger {value}\n".encode()
        headers = {"Content-Type": "text/plain; version=0.0.4"}
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
                self.conn.connect()  # outside the timed part: only the first push and reconnects pay it
            t0 = time.perf_counter_ns()
            try:
                self.conn.request("PUT", PUSH_PATH, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                return t0, time.perf_counter_ns(), response.status
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                self.reconnects += 1
        raise OSError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()


def matches(fields, expected_state):
    return fields.get("rule.name") == RULE_NAME and fields.get("alert.state") == expected_state


def drain(reader, stray):
    while True:
        try:
            _, fields, text = reader.events.get_nowait()
        except queue.Empty:
            return
        if fields.get("msg") == "alert state changed" or fields.get("level") in ("warning", "error"):
            stray.append(text)


def measure(args):
    # Pushes and the log reader share the GIL; a short switch interval keeps the reader's
    # timestamp from waiting behind the main thread (which mostly sleeps in recv/get anyway).
    sys.setswitchinterval(0.0001)
    reader = LogReader(args.log, args.format)
    reader.start()
    wait_ready(reader, args.host, args.port, args.ready_timeout)
    pusher = Pusher(args.host, args.port, args.timeout_ms / 1000)
    latency = {"firing": [], "resolved": []}
    failures = {"firing": [], "resolved": []}
    http_ms = []
    log_before_response = 0
    stray = []
    total = args.warmup + args.pushes
    wall0 = time.monotonic()
    for i in range(total):
        counted = i >= args.warmup
        value = 1 if i % 2 == 0 else 0
        expected = "firing" if value == 1 else "resolved"
        # Outside the rule manager's 50 ms push coalescing window, so each push is evaluated
        # at once rather than waiting out the previous evaluation's window (see the doc).
        time.sleep(args.gap_ms / 1000)
        drain(reader, stray if counted else [])
        deadline_ns = None
        try:
            t0, t1, status = pusher.push(value)
        except (OSError, http.client.HTTPException) as error:
            if counted:
                failures[expected].append({"push": i - args.warmup, "reason": f"HTTP error: {error}"})
            continue
        if counted:
            http_ms.append((t1 - t0) / 1e6)
        if not 200 <= status < 300:
            if counted:
                failures[expected].append({"push": i - args.warmup, "reason": f"HTTP status {status}"})
            continue
        deadline_ns = t0 + int(args.timeout_ms * 1e6)
        seen = None
        while seen is None:
            left = (deadline_ns - time.perf_counter_ns()) / 1e9
            if left <= 0:
                break
            try:
                arrived, fields, text = reader.events.get(timeout=left)
            except queue.Empty:
                break
            if matches(fields, expected):
                seen = arrived
            elif fields.get("msg") == "<log closed>":
                raise SystemExit("klaxon's log closed during the run (did it exit?)")
            elif counted and (fields.get("msg") == "alert state changed" or fields.get("level") in ("warning", "error")):
                stray.append(text)
        if not counted:
            continue
        if seen is None:
            failures[expected].append({"push": i - args.warmup, "reason": f"no {expected} line within {args.timeout_ms} ms"})
        else:
            latency[expected].append((seen - t0) / 1e6)
            if seen < t1:
                log_before_response += 1
    wall_s = time.monotonic() - wall0
    pusher.close()
    result = {
        "log_format": args.format,
        "pushes": args.pushes,
        "warmup_pushes": args.warmup,
        "gap_ms": args.gap_ms,
        "timeout_ms": args.timeout_ms,
        "firing": summarize(latency["firing"]) | {"failures": len(failures["firing"])},
        "resolved": summarize(latency["resolved"]) | {"failures": len(failures["resolved"])},
        "http_round_trip": summarize(http_ms),
        "log_line_before_http_response": log_before_response,
        "reconnects": pusher.reconnects,
        "failure_details": (failures["firing"] + failures["resolved"])[:20],
        "stray_lines": stray[:20],
        "stray_line_count": len(stray),
        "unparsed_lines": reader.unparsed,
        "wall_s": round(wall_s, 1),
    }
    if args.json_out:
        with open(args.json_out, "w") as out:
            json.dump(result, out, indent=1)
    print_pass(result)
    return result


# MARK: - Reporting


def row(name, stats):
    if not stats.get("count"):
        return f"  {name:<25} n=0"
    line = (f"  {name:<25} n={stats['count']:<5} median {stats['median_ms']:8.3f}  p90 {stats['p90_ms']:8.3f}"
            f"  p99 {stats['p99_ms']:8.3f}  max {stats['max_ms']:8.3f}")
    if "over_5ms" in stats:
        line += f"  >=5ms {stats['over_5ms']}"
    if "failures" in stats:
        line += f"  failures {stats['failures']}"
    return line


def print_pass(result):
    print(f"klaxon push -> transition, log format {result['log_format']}: {result['pushes']} pushes "
          f"(+{result['warmup_pushes']} warm-up), {result['gap_ms']} ms gap, {result['timeout_ms']} ms "
          f"deadline, {result['wall_s']} s  (ms)")
    print(row("push -> firing line", result["firing"]))
    print(row("push -> resolved line", result["resolved"]))
    print(row("HTTP round trip", result["http_round_trip"]))
    print(f"  log line before HTTP response: {result['log_line_before_http_response']}; "
          f"reconnects {result['reconnects']}; stray lines {result['stray_line_count']}; "
          f"unparsed lines {result['unparsed_lines']}")
    for line in result["stray_lines"][:5]:
        print(f"  stray: {line}")
    for failure in result["failure_details"][:5]:
        print(f"  failure: push {failure['push']}: {failure['reason']}")


def without_goal(stats):
    """Klaxon's 5 ms goal says nothing about the peer: leave its count out of the peer's rows."""
    return {key: value for key, value in stats.items() if key != "over_5ms"}


def peer_from_run(path):
    with open(path) as f:
        rows = json.load(f)["rows"]
    firing = [r["fire_lat"] * 1000 for r in rows if "fire_lat" in r]
    resolved = [r["res_lat"] * 1000 for r in rows if "res_lat" in r]
    return {
        "source": f"measured in this run ({path})",
        "setup": "Prometheus + Pushgateway + Alertmanager, fast-jitter config, time-to-page/run.sh",
        "firing": without_goal(summarize(firing)) | {"failures": sum("fire_err" in r for r in rows)},
        "resolved": without_goal(summarize(resolved)) | {"failures": sum("res_err" in r for r in rows)},
        "firing_median_ms": statistics.median(firing) if firing else None,
    }


def report(args):
    results = []
    for path in args.report:
        with open(path) as f:
            results.append(json.load(f))
    peers = [STORED_PEER]
    if args.peer_result:
        try:
            peers.append(peer_from_run(args.peer_result))
        except (OSError, ValueError, KeyError) as error:
            print(f"peer result {args.peer_result} unreadable: {error}", file=sys.stderr)
    for result in results:
        median = result["firing"].get("median_ms")
        result["vs_peer"] = [
            {"peer": p["source"], "peer_firing_median_ms": p["firing_median_ms"],
             "ratio_of_firing_medians": round(p["firing_median_ms"] / median, 1) if median and p["firing_median_ms"] else None}
            for p in peers
        ]
    print(json.dumps({"klaxon": results, "peer": peers}, indent=1))
    print()
    for result in results:
        print_pass(result)
        for kind in ("firing", "resolved"):
            p99 = result[kind].get("p99_ms")
            met = p99 is not None and p99 < 5 and result[kind]["failures"] == 0
            print(f"  goal p99 < 5 ms, {kind}: {'met' if met else 'NOT met'} (p99 {p99} ms, "
                  f"{result[kind]['failures']} failures)")
        print()
    stored = STORED_PEER
    print(f"peer (stored figure from the peer-bench run, NOT from this run): {stored['setup']}:")
    print(f"  push -> firing webhook median {stored['firing_median_ms']:.0f} ms "
          f"({stored['firing_min_ms']:.0f}-{stored['firing_max_ms']:.0f} ms), {stored['resolved_note']}")
    for peer in peers[1:]:
        print(f"peer measured in this run: {peer['setup']}:")
        print(row("push -> firing webhook", peer["firing"]))
        print(row("push -> resolved webhook", peer["resolved"]))
    for result in results:
        for comparison in result["vs_peer"]:
            if comparison["ratio_of_firing_medians"] is None:
                continue
            which = "stored peer figure" if comparison["peer"] == STORED_PEER["source"] else "same-run peer figure"
            print(f"ratio of firing medians, {which} / klaxon ({result['log_format']}): "
                  f"{comparison['peer_firing_median_ms']:.0f} ms / {result['firing']['median_ms']:.3f} ms "
                  f"= {comparison['ratio_of_firing_medians']:,}x")
    print("note: klaxon's figure ends at the 'alert state changed' log line (the notify sink until routing "
          "lands); the peer's ends at the webhook receiving Alertmanager's notification.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--log", help="FIFO or file carrying klaxon's standard error")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--pushes", type=int, default=1000, help="measured pushes (half firing, half resolved)")
    parser.add_argument("--warmup", type=int, default=10, help="pushes before measuring, not counted")
    parser.add_argument("--format", choices=["json", "logfmt"], default="logfmt", help="klaxon's --log-format")
    parser.add_argument("--gap-ms", type=float, default=0.0, help="pause before each push")
    parser.add_argument("--timeout-ms", type=float, default=1000.0, help="deadline per push")
    parser.add_argument("--ready-timeout", type=float, default=60.0, help="seconds to wait for klaxon to start")
    parser.add_argument("--json-out", help="write the result here")
    parser.add_argument("--report", nargs="+", metavar="RESULT", help="print these results with the peer figure")
    parser.add_argument("--peer-result", help="result.json of time-to-page/run.sh from this run")
    args = parser.parse_args()
    if args.report:
        report(args)
        return
    if not args.log or not args.port:
        parser.error("--log and --port are required to measure")
    if not 1 <= args.pushes <= 1_000_000 or not 0 <= args.warmup <= 10_000:
        parser.error("--pushes must be 1..1000000 and --warmup 0..10000")
    if not 0 <= args.gap_ms <= 60_000 or not 1 <= args.timeout_ms <= 600_000:
        parser.error("--gap-ms must be 0..60000 and --timeout-ms 1..600000")
    measure(args)


if __name__ == "__main__":
    main()
