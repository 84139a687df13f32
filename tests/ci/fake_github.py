#!/usr/bin/env python3
"""A local stand-in for the GitHub REST API parts the action's comment mode
uses: GET a pull request (its head sha), list, create and update issue
comments (as api.github.com answers: JSON bodies, 201 on create, the
Authorization header required). Prints "listening on URL", then serves until
killed; every request is appended to LOG as "METHOD PATH".
usage: fake_github.py HEAD_SHA LOG"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

head_sha, log = sys.argv[1], sys.argv[2]
comments = []


class Api(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_one(self, method):
        with open(log, "a") as f:
            f.write(f"{method} {self.path}\n")
        if not self.headers.get("Authorization", "").startswith(("Bearer ", "token ")):
            return self.reply(401, {"message": "Requires authentication"})
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        parts = self.path.split("?")[0].strip("/").split("/")
        # repos/OWNER/REPO/pulls/N
        if method == "GET" and len(parts) == 5 and parts[3] == "pulls":
            return self.reply(200, {"number": int(parts[4]), "head": {"sha": head_sha}})
        # repos/OWNER/REPO/issues/N/comments
        if len(parts) == 6 and parts[3] == "issues" and parts[5] == "comments":
            if method == "GET":
                return self.reply(200, comments)
            comment = {"id": len(comments) + 1, "body": body["body"], "user": {"login": "github-actions[bot]"}}
            comments.append(comment)
            return self.reply(201, comment)
        # repos/OWNER/REPO/issues/comments/ID
        if method == "PATCH" and len(parts) == 6 and parts[4] == "comments":
            for c in comments:
                if c["id"] == int(parts[5]):
                    c["body"] = body["body"]
                    return self.reply(200, c)
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_one("GET")

    def do_POST(self):
        self.handle_one("POST")

    def do_PATCH(self):
        self.handle_one("PATCH")


server = HTTPServer(("127.0.0.1", 0), Api)
print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
