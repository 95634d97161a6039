#!/usr/bin/env python3
"""Fake upstream for the proxy integration tests, bound to 127.0.0.1 only.

Serves:
  /echo/...            JSON {method, path, query, headers, body} of what the proxy sent
  /bot<key>/echo/...   same (auth = "path" routes put the key in the path)
  /sse                 text/event-stream: event 1, then waits for POST /release, event 2
  /release             releases /sse's second event (called by the test directly)
  /redirect            302 to another host (the proxy must pass it through, not follow)
  /setcookie           200 with a Set-Cookie (the proxy must drop it)
  /cors                200 with permissive CORS and other origin-wide headers (the proxy
                       must not pass them back)
  /hits                JSON {"echo": n}: how many /echo requests arrived (test control
                       endpoint: what really reached the upstream, e.g. under a budget)
  /slow                answers after 3 s (the proxy's upstream timeout must fire first)
  /v1/<mount>/data/<p> Vault KV v2 read (X-Vault-Token required); /kv/set?path=&field=&value=
                       bumps the version (test control endpoint)
Prints the bound port on stdout, then serves until killed. Secrets here are fake.
"""
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VAULT_TOKEN = sys.argv[1] if len(sys.argv) > 1 else "fake-vault-token"
KV = {}  # (mount, path) -> {"data": {...}, "version": n}
RELEASE = threading.Event()
LOCK = threading.Lock()
HITS = {"echo": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body, ctype="application/json", extra=None):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _handle(self):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        body = self._body()
        if path.startswith("/echo") or (path.startswith("/bot") and "/echo" in path):
            with LOCK:
                HITS["echo"] += 1
            self._send(200, json.dumps({
                "method": self.command, "path": path, "query": url.query,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace")}))
        elif path == "/sse":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"data: first\n\n")
            self.wfile.flush()
            RELEASE.wait(10)
            RELEASE.clear()
            self.wfile.write(b"data: second\n\n")
            self.wfile.flush()
            self.close_connection = True
        elif path == "/hits":
            with LOCK:
                self._send(200, json.dumps(HITS))
        elif path == "/release":
            RELEASE.set()
            self._send(200, "{}")
        elif path == "/redirect":
            self._send(302, "", extra={"Location": "https://elsewhere.invalid/steal"})
        elif path == "/setcookie":
            self._send(200, "{}", extra={"Set-Cookie": "upstream=1; Path=/"})
        elif path == "/cors":
            self._send(200, "{}", extra={
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Credentials": "true",
                "Strict-Transport-Security": "max-age=0",
                "Alt-Svc": 'h3=":443"',
                "X-Internal-Debug": "upstream-node-7",
                "Cache-Control": "no-store"})
        elif path == "/slow":
            time.sleep(3)
            self._send(200, "{}")
        elif path == "/kv/set":
            q = urllib.parse.parse_qs(url.query)
            key = ("secret", q["path"][0])
            with LOCK:
                entry = KV.setdefault(key, {"data": {}, "version": 0})
                entry["data"][q["field"][0]] = q["value"][0]
                entry["version"] += 1
            self._send(200, "{}")
        elif path.startswith("/v1/"):
            if self.headers.get("X-Vault-Token") != VAULT_TOKEN:
                self._send(403, json.dumps({"errors": ["permission denied"]}))
                return
            parts = path[len("/v1/"):].split("/", 2)
            if len(parts) != 3 or parts[1] != "data":
                self._send(404, json.dumps({"errors": []}))
                return
            with LOCK:
                entry = KV.get((parts[0], parts[2]))
                if entry is None:
                    self._send(404, json.dumps({"errors": []}))
                    return
                doc = {"request_id": "fake", "lease_id": "", "renewable": False,
                       "lease_duration": 0,
                       "data": {"data": dict(entry["data"]),
                                "metadata": {"created_time": "2026-01-01T00:00:00Z",
                                             "custom_metadata": None, "deletion_time": "",
                                             "destroyed": False,
                                             "version": entry["version"]}}}
            self._send(200, json.dumps(doc))
        else:
            self._send(404, '{"error":"not found"}')

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
