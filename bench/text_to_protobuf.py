#!/usr/bin/env python3
"""Encode a text-format gauge body (gen_body.py's) as varint-delimited io.prometheus.client.MetricFamily
messages, the body the Go client's push package sends for the same series.
usage: text_to_protobuf.py TEXTFILE OUTFILE"""
import re, struct, sys

def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)

def field(number, wire, payload):
    return varint(number << 3 | wire) + payload

def delimited(number, payload):
    return field(number, 2, varint(len(payload)) + payload)

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
TYPES = {"counter": 0, "gauge": 1, "summary": 2, "untyped": 3, "histogram": 4}

families = {}  # name -> [help, type, [metric bytes]]
order = []
def family(name):
    if name not in families:
        families[name] = [None, 3, []]
        order.append(name)
    return families[name]

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("# HELP "):
        name, _, text = line[7:].partition(" ")
        family(name)[0] = text
    elif line.startswith("# TYPE "):
        name, _, kind = line[7:].partition(" ")
        family(name)[1] = TYPES[kind]
    elif line and not line.startswith("#"):
        match = SAMPLE.match(line)
        if not match or family(match.group(1))[1] not in (1, 3):
            sys.exit(f"only gauge and untyped samples are supported: {line}")
        name, labels, value = match.groups()
        metric = b"".join(
            delimited(1, delimited(1, key.encode()) + delimited(2, text.encode()))
            for key, text in LABEL.findall(labels or ""))
        kind = family(name)[1]
        metric += delimited(2 if kind == 1 else 5, field(1, 1, struct.pack("<d", float(value))))
        family(name)[2].append(metric)

with open(sys.argv[2], "wb") as out:
    for name in order:
        help_text, kind, metrics = families[name]
        message = delimited(1, name.encode())
        if help_text is not None:
            message += delimited(2, help_text.encode())
        message += field(3, 0, varint(kind))
        message += b"".join(delimited(4, metric) for metric in metrics)
        out.write(varint(len(message)) + message)
