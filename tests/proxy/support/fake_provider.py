#!/usr/bin/env python3
"""Loopback TLS fake provider for the `scan --verify` tests. Never a real provider.

usage: fake_provider.py DIR
Reads DIR/keys.json: {"<secret>": "live" | "dead" | "forbid" | "rate" | "slow" | "hold",
                      "aws": {"<access key id>": "<secret access key>"},
                      "algolia_search_only": ["<key>", ...]}
Writes DIR/ca.pem (a fresh test CA, made with the openssl CLI) and serves HTTPS on
localhost with a certificate it signed, then prints the port. Routes by the first path
segment (the test override file maps a provider's base URL to /<provider><base path>), then
by the liveness path:
  stripe  .../v1/balance        Basic, key as user name
  github  .../user              Bearer; answers X-OAuth-Scopes
  openai  .../models            Bearer
  slack   .../auth.test (POST)  Bearer; 200 {"ok": false} for a dead token, as Slack does
  twilio  .../Accounts.json     Basic SID:token; the SID must be keys.json's "twilio_sid"
  aws     POST ?Action=GetCallerIdentity  checks the SigV4 signature with keys.json's secret
  algolia .../keys/<key>        X-Algolia-API-Key + Application-Id; answers the key's ACL
  /attacker/...                 counts hits: --verify must never come here
  GET /__stats (plain, no auth) {"hits": {key: n}, "max_concurrency": {provider: n},
                                 "attacker": n, "bad_signatures": n}
Behaviours: live 200; dead 401; forbid 403; rate: 429 (Retry-After: 1) first, then 200;
slow: answers after 8 s; hold: answers after 0.15 s (to measure concurrency).
"""
import base64
import hashlib
import hmac
import json
import os
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]
with open(os.path.join(DIR, "keys.json")) as f:
    KEYS = json.load(f)
LOCK = threading.Lock()
HITS = {}
IN_FLIGHT = {}
MAX_CONC = {}
RATE_SEEN = set()
STATS = {"attacker": 0, "bad_signatures": 0}


def make_certs():
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=DIR)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "1", "-subj", "/CN=leakproof verify test CA")
    with open(os.path.join(DIR, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext")


def sigv4_ok(handler, path, query):
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return None
    fields = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    key_id, date, region, service, _ = fields["Credential"].split("/")
    secret = KEYS.get("aws", {}).get(key_id)
    if secret is None:
        return None
    amz_date = handler.headers.get("X-Amz-Date", "")
    signed = fields["SignedHeaders"].split(";")
    canon_headers = "".join(f"{h}:{handler.headers.get(h, '').strip()}\n" for h in signed)
    params = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    canon_query = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                           for k, v in params)
    canon = "\n".join([handler.command, path, canon_query, canon_headers, fields["SignedHeaders"],
                       hashlib.sha256(b"").hexdigest()])
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canon.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    want = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    return key_id if hmac.compare_digest(want, fields["Signature"]) else False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, extra=None, ctype="application/json"):
        # The request stops counting as in flight before its answer is written: once the
        # client has read it, it may start its next request at once, and that one must not
        # overlap this one in the concurrency the test asserts.
        self.leave_flight()
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def bearer(self):
        a = self.headers.get("Authorization", "")
        return a[7:] if a.startswith("Bearer ") else None

    def basic(self):
        a = self.headers.get("Authorization", "")
        if not a.startswith("Basic "):
            return None, None
        user, _, pw = base64.b64decode(a[6:]).decode().partition(":")
        return user, pw

    def do_POST(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        provider = parts[1] if len(parts) > 1 else ""
        if url.path == "/__stats":
            with LOCK:
                self.send(200, json.dumps({"hits": HITS, "max_concurrency": MAX_CONC, **STATS}))
            return
        if provider == "attacker":
            with LOCK:
                STATS["attacker"] += 1
            self.send(200, "{}")
            return
        key, identity, extra = None, {}, {}
        path = url.path
        if provider == "stripe" and path.endswith("/v1/balance"):
            key, _ = self.basic()
        elif provider == "github" and path.endswith("/user"):
            key, identity, extra = self.bearer(), {"login": "fake-octocat"}, {"X-OAuth-Scopes": "repo, gist"}
        elif provider == "openai" and path.endswith("/models"):
            key, identity = self.bearer(), {"object": "list"}
        elif provider == "slack" and path.endswith("/auth.test") and self.command == "POST":
            key = self.bearer()
        elif provider == "twilio" and path.endswith("/Accounts.json"):
            sid, key = self.basic()
            if KEYS.get("twilio_sid") != sid:
                key = None
        elif provider == "aws" and self.command == "POST" and "Action=GetCallerIdentity" in url.query:
            ok = sigv4_ok(self, url.path, url.query)
            if ok is False:
                with LOCK:
                    STATS["bad_signatures"] += 1
                self.send(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>", ctype="text/xml")
                return
            key = ok
        elif provider == "algolia" and len(parts) >= 4 and parts[-2] == "keys":
            key = self.headers.get("X-Algolia-API-Key")
            if key != parts[-1] or self.headers.get("X-Algolia-Application-Id") != KEYS.get("algolia_app"):
                key = None
        if key is None:
            self.send(400, '{"error": "malformed request"}')
            return
        with LOCK:
            HITS[key] = HITS.get(key, 0) + 1
            IN_FLIGHT[provider] = IN_FLIGHT.get(provider, 0) + 1
            MAX_CONC[provider] = max(MAX_CONC.get(provider, 0), IN_FLIGHT[provider])
        self.in_flight_provider = provider
        try:
            self.answer(provider, key, identity, extra)
        finally:
            self.leave_flight()

    def leave_flight(self):
        provider = getattr(self, "in_flight_provider", None)
        if provider is not None:
            self.in_flight_provider = None
            with LOCK:
                IN_FLIGHT[provider] -= 1

    def answer(self, provider, key, identity, extra):
        behaviour = KEYS.get(key, "dead")
        if provider == "aws":
            behaviour = KEYS.get(KEYS["aws"].get(key, ""), "live")
        if behaviour == "slow":
            time.sleep(8)
        if behaviour == "hold":
            time.sleep(0.15)
            behaviour = "live"
        if behaviour == "rate":
            with LOCK:
                first = key not in RATE_SEEN
                RATE_SEEN.add(key)
            if first:
                self.send(429, '{"error": "slow down"}', {"Retry-After": "1"})
                return
            behaviour = "live"
        if provider == "slack":
            body = {"ok": True, "team": "Fake Team", "user": "fakebot"} if behaviour == "live" else \
                {"ok": False, "error": "invalid_auth"}
            self.send(200, json.dumps(body))
            return
        if behaviour in ("dead", "forbid"):
            self.send(401 if behaviour == "dead" else 403, '{"error": "invalid key"}')
            return
        if provider == "aws":
            self.send(200, "<GetCallerIdentityResponse><GetCallerIdentityResult>"
                           "<Arn>arn:aws:iam::123456789012:user/fake</Arn><UserId>AIDAFAKE</UserId>"
                           "<Account>123456789012</Account></GetCallerIdentityResult>"
                           "</GetCallerIdentityResponse>", ctype="text/xml")
            return
        if provider == "algolia":
            acl = ["search"] if key in KEYS.get("algolia_search_only", []) else ["search", "addObject", "deleteIndex"]
            self.send(200, json.dumps({"acl": acl, "description": "fake"}))
            return
        self.send(200, json.dumps(identity), extra)


def main():
    make_certs()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(DIR, "server.pem"), os.path.join(DIR, "server.key"))
    class TlsServer(ThreadingHTTPServer):
        daemon_threads = True

        def finish_request(self, request, client_address):
            # The handshake runs in the connection's own thread, so one slow client never
            # holds up the accept loop (and the concurrency the test measures).
            try:
                request = ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            super().finish_request(request, client_address)

    server = TlsServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
