#!/usr/bin/env python3
"""Holds N connections to HOST:PORT, each with half a request header sent, for HostileClientTests.

usage: halfsent.py HOST PORT N
Prints "open N" once all are open, then holds them until it is stopped (SIGTERM). It runs
in a process of its own so the test process keeps few file descriptors."""
import resource, socket, sys, time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held = []
for _ in range(count):
    connection = socket.create_connection((host, port))
    connection.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
    held.append(connection)
print(f"open {len(held)}", flush=True)
while True:
    time.sleep(3600)
