#!/usr/bin/env python3
"""A service that needs a login, for tests/cli/flow.sh (127.0.0.1 only).

POST /login {"user": U, "password": P} answers {"auth": {"token": "tok-U"}}
when P is "pw-" + U (else 401) and sets the cookie session=U. Every other
call needs "Authorization: Bearer tok-U" of a user who logged in (401
without). GET /items/N records that N was asked for; POST /items creates
an item (201, Location: /items/N, {"id": N}); PUT and DELETE /items/N need
an item that exists (404 otherwise; deleting it twice is a 404). GET /me
needs the session cookie of the token's user (the cookie jar is the
user's own). GET /stats answers what happened, for the test to check:
logins per user, ids asked for, refusals by reason. Prints "listening on
URL" once it accepts connections.
"""
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"logins": {}, "asked": {}, "refused": {}, "created": 0, "deleted": 0,
         "bodies": []}
tokens = set()
items = {}
next_id = [1000]


def refuse(reason):
    state["refused"][reason] = state["refused"].get(reason, 0) + 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are written apart

    def log_message(self, *args):
        pass

    def answer(self, code, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def user(self):
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        with lock:
            if token not in tokens:
                refuse("token")
                return None
        return token[len("tok-"):]

    def do_POST(self):
        raw = self.body()
        if self.path == "/login":
            try:
                req = json.loads(raw)
            except ValueError:
                with lock:
                    refuse("login-json")
                return self.answer(400, {"error": "not JSON"})
            u, p = req.get("user", ""), req.get("password", "")
            with lock:
                if p != "pw-" + u:
                    refuse("password")
                    return self.answer(401, {"error": "bad password"})
                state["logins"][u] = state["logins"].get(u, 0) + 1
                tokens.add("tok-" + u)
            return self.answer(200, {"auth": {"token": "tok-" + u}},
                               [("Set-Cookie", "session=%s; Path=/" % u)])
        if self.path == "/items":
            u = self.user()
            if u is None:
                return self.answer(401, {"error": "no token"})
            try:
                name = json.loads(raw)["name"]
            except (ValueError, KeyError):
                with lock:
                    refuse("item-json")
                return self.answer(400, {"error": "not JSON"})
            with lock:
                next_id[0] += 1
                n = next_id[0]
                items[n] = name
                state["created"] += 1
                state["bodies"].append(name)
            return self.answer(201, {"id": n}, [("Location", "/items/%d" % n)])
        self.answer(404, {"error": "no such path"})

    def item(self):
        m = re.fullmatch(r"/items/([0-9]+)", self.path.split("?")[0])
        return int(m.group(1)) if m else None

    def do_GET(self):
        if self.path == "/stats":
            with lock:
                return self.answer(200, state)
        u = self.user()
        if u is None:
            return self.answer(401, {"error": "no token"})
        if self.path == "/me":
            cookie = self.headers.get("Cookie", "")
            if "session=%s" % u not in cookie.split("; "):
                with lock:
                    refuse("cookie")
                return self.answer(401, {"error": "no session cookie for " + u})
            return self.answer(200, {"user": u})
        n = self.item()
        if n is None:
            return self.answer(404, {"error": "no such path"})
        with lock:
            state["asked"][str(n)] = state["asked"].get(str(n), 0) + 1
        self.answer(200, {"id": n})

    def do_PUT(self):
        self.body()
        self.change(False)

    def do_DELETE(self):
        self.change(True)

    def change(self, delete):
        if self.user() is None:
            return self.answer(401, {"error": "no token"})
        n = self.item()
        with lock:
            if n not in items:
                refuse("missing-item")
                return self.answer(404, {"error": "no item %s" % n})
            if delete:
                del items[n]
                state["deleted"] += 1
        self.answer(204 if delete else 200, None if delete else {"id": n})


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
