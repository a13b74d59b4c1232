#!/usr/bin/env python3
"""A real HTTP server on loopback that receives webhooks, for the Notify tests (standard library only).

Started by Tests/TestSupport/WebhookServer.swift with /usr/bin/python3. Prints one JSON line,
{"port": N}, once it listens on 127.0.0.1, then serves until its standard input closes, so it
never outlives the test that started it.

Every request is kept: {"method", "path", "headers" {lower-case name: value}, "body"}.
What a path answers is set by commands; a path with no rule answers 200.

Commands, one JSON object a line on standard input, each answered by one JSON line:
  {"do": "answer", "path": P, "statuses": [503, 200]}   answer P with these codes in turn (the
                                                       last one repeats)
  {"do": "redirect", "path": P, "status": 302, "location": URL}
  {"do": "requests"}       answered by {"done": "requests", "requests": [...]}
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
RULES = {}
REQUESTS = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet: the test reads what it needs
        pass

    def do_POST(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
        path = self.path.split("?", 1)[0]
        with LOCK:
            REQUESTS.append({"method": self.command, "path": self.path, "body": body,
                             "headers": {name.lower(): value for name, value in self.headers.items()}})
            rule = RULES.get(path, {"statuses": [200]})
            if rule.get("location"):
                status, location = rule["status"], rule["location"]
            else:
                statuses = rule["statuses"]
                status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
                location = None
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    for line in sys.stdin:  # until the test closes our standard input
        command = json.loads(line)
        action = command["do"]
        reply = {"done": action}
        with LOCK:
            if action == "answer":
                RULES[command["path"]] = {"statuses": list(command["statuses"])}
            elif action == "redirect":
                RULES[command["path"]] = {"status": command["status"], "location": command["location"]}
            elif action == "requests":
                reply["requests"] = list(REQUESTS)
        print(json.dumps(reply), flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
