#!/usr/bin/env python3
"""A deliberately broken HTTP target for tests/cli/hostile.sh.

Listens on 127.0.0.1 (port 0: the kernel picks; the port is printed as
"listening on http://127.0.0.1:PORT") and misbehaves according to the path:

  /ok           a correct 200 (the control)
  /reset        starts a 100,000-byte answer, sends 10 bytes, then resets (RST)
  /close        starts a 100,000-byte answer, sends 10 bytes, then closes (FIN)
  /silent       accepts and reads the request, never answers
  /trickle      sends its status line one byte every 200 ms, never finishes
  /malformed    answers with bytes that are not HTTP
  /badstatus    a status line with a status of 5 digits
  /huge/N       a 200 of N bytes (streamed zeros, never held in memory)
  /hostile      a 200 whose headers and body carry hostile text
  /auth         200 when the Authorization header equals $HOSTILE_EXPECT_AUTH
                (and a ?key= equals $HOSTILE_EXPECT_KEY), 401 otherwise (proves
                a secret header or query was sent)
  /drop/N       keeps the connection alive for N answers, then reads the next
                request and closes without a byte of answer (a server that
                ends a connection, as nginx at keepalive_requests, racing a
                request it will not process)

Every connection lives in its own daemon thread and ends by itself: the
server exits after --lifetime seconds (default 120) in any case, so a test
that forgets to stop it leaves nothing behind."""
import os
import socket
import struct
import sys
import threading
import time

CHUNK = b"\0" * (1 << 20)
HOSTILE = ("x|y`z<script>alert(1)</script>-->\r\n::error::pwned%0A@team"
           "\u202e").encode() + b"\xff\xfe"


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        part = conn.recv(65536)
        if not part:
            return None
        data += part
        if len(data) > 1 << 20:
            return None
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    headers = {}
    for h in lines[1:]:
        name, _, value = h.partition(":")
        headers[name.strip().lower()] = value.strip()
    return (parts[1] if len(parts) >= 2 else "/"), headers


def start_answer(conn, length):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                 b"Connection: close\r\nContent-Length: %d\r\n\r\n" % length)


def hold(conn, seconds):
    """Keeps the connection open, reading and discarding, until the client
    closes it or the time is up."""
    conn.settimeout(seconds)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def serve(conn):
    try:
        request = read_request(conn)
        if request is None:
            return
        path, headers = request
        if path == "/ok":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
        elif path in ("/reset", "/close"):
            start_answer(conn, 100000)
            conn.sendall(b"0123456789")
            time.sleep(0.05)
            if path == "/reset":  # SO_LINGER 0: close() sends RST, not FIN
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif path == "/silent":
            hold(conn, 60)
        elif path == "/trickle":
            for b in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 10000:
                conn.sendall(bytes([b]))
                time.sleep(0.2)
        elif path == "/malformed":
            conn.sendall(b"\x16\x03\x01 SSH-2.0-OpenSSH garbage\r\nnot: http\r\n\r\n")
        elif path == "/badstatus":
            conn.sendall(b"HTTP/1.1 99999 Strange\r\nContent-Length: 0\r\n\r\n")
            hold(conn, 5)
        elif path.startswith("/huge/"):
            left = int(path[len("/huge/"):])
            start_answer(conn, left)
            while left > 0:
                n = min(left, len(CHUNK))
                conn.sendall(memoryview(CHUNK)[:n])
                left -= n
        elif path.startswith("/drop/"):
            keep = int(path[len("/drop/"):])
            for _ in range(keep):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
                if read_request(conn) is None:
                    return
            # the request just read is never answered
        elif path == "/hostile":
            conn.sendall(b"HTTP/1.1 200 OK\r\nServer: " + HOSTILE.replace(b"\r\n", b" ") +
                         b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(HOSTILE) +
                         HOSTILE)
        elif path.split("?")[0] == "/auth":  # a query may carry a secret too
            good = headers.get("authorization") == os.environ.get("HOSTILE_EXPECT_AUTH")
            if "?key=" in path:  # and a key in the query, when one is given
                good = good and path.split("?key=", 1)[1] == os.environ.get("HOSTILE_EXPECT_KEY")
            conn.sendall(b"HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" %
                         (b"200 OK" if good else b"401 Unauthorized"))
        else:
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                         b"Connection: close\r\n\r\n")
    except OSError:
        pass  # the client gave up (timeout, interrupted): expected here
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    lifetime = float(sys.argv[sys.argv.index("--lifetime") + 1]) if "--lifetime" in sys.argv else 120
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(512)
    print("listening on http://127.0.0.1:%d" % srv.getsockname()[1], flush=True)
    threading.Timer(lifetime, lambda: os._exit(0)).start()
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
