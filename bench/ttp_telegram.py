#!/usr/bin/env python3
"""A stand-in for the Telegram Bot API's sendMessage, for bench/time-to-page.sh.

usage: ttp_telegram.py PORT OUT.jsonl
Appends one JSON line per POST: the arrival time (time.time(), taken before the body is read)
and the request body, then answers as Telegram does ({"ok": true, ...})."""
import json, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

PORT = int(sys.argv[1]); OUT = sys.argv[2]
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        arrival = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {"raw": body.decode("utf-8", "replace")}
        with lock, open(OUT, "a") as out:
            out.write(json.dumps({"arrival": arrival, "path": self.path, "payload": payload}) + "\n")
        answer = b'{"ok":true,"result":{"message_id":1}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
