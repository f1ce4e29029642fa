#!/usr/bin/python3
"""A loopback OAuth2 token introspection endpoint (RFC 7662) for rapport's tests.

Dovecot's oauth2 passdb (introspection_mode = post) POSTs "token=..." here;
the answer is {"active": true, "username": USER} for a token listed in
--tokens-file ("TOKEN USER" lines, re-read on every request, so a test can
revoke or rotate tokens) and {"active": false} otherwise. The test SMTP
server reads the same file. Listens on --host (loopback only) and an
ephemeral port, written (atomically) to --ready as {"port": P}. Every request
is logged to --log as one JSON line (the token itself is never logged).
"""

import argparse
import ipaddress
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--tokens-file", required=True)
    p.add_argument("--ready", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--exit-with-parent", action="store_true")
    args = p.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        p.error("--host must be a loopback address")
    return args


ARGS = None
LOG_LOCK = threading.Lock()


def token_user(token):
    try:
        with open(ARGS.tokens_file, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[0] == token:
                    return parts[1]
    except OSError:
        return None
    return None


def log(**fields):
    record = {"time": round(time.time(), 3)}
    record.update(fields)
    with LOG_LOCK, open(ARGS.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, separators=(",", ":")) + "\n")


class Introspect(BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def _answer(self, token):
        user = token_user(token) if token else None
        body = {"active": True, "username": user} if user else {"active": False}
        log(method=self.command, path=self.path, active=bool(user), username=user)
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        token = (form.get("token") or [""])[0]
        if not token:
            auth = self.headers.get("Authorization", "")
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        self._answer(token)

    def do_GET(self):
        query = urllib.parse.urlparse(self.path).query
        token = (urllib.parse.parse_qs(query).get("access_token") or [""])[0]
        if not token:
            auth = self.headers.get("Authorization", "")
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        self._answer(token)


def main():
    global ARGS
    ARGS = parse_args()
    server = ThreadingHTTPServer((ARGS.host, 0), Introspect)
    port = server.server_address[1]
    with open(ARGS.ready + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"port": port}, f)
    os.replace(ARGS.ready + ".tmp", ARGS.ready)
    if ARGS.exit_with_parent:
        parent = os.getppid()

        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            server.shutdown()
        threading.Thread(target=watch, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        print(f"test-oauth2-introspect: {e}", file=sys.stderr)
        sys.exit(1)
