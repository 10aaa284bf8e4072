#!/usr/bin/env python3
"""Fault-injecting HTTP/1.1 test server for volley's tests (stdlib only).

The fault is taken from the request path: its first segment names the
method Server.r_<segment> ('-' read as '_') that answers, and the comment
there says what it serves; the rest of the path are its arguments.  The
routes (tests/docs.bats checks that this list names each r_ method):

  /status/N  /delay/MS  /idle-close/MS  /hang  /reset  /reset-mid-body
  /bytes/N (a prefix of one fixed binary stream)  /text/N  /repeat/N/TEXT
  /badutf8  /drip/N/MS[/FIRST]  /redirect/N  /loop  /gzip  /gzip-bomb  /html/NAME
  /page/NAME.EXT (fixtures, typed by extension)  /headers/KB
  /manyheaders/N  /dupheaders  /ctype/VALUE  /bad-status  /retry-after/S
  /retry-after-once/KEY/S  /retry-after-date-once/KEY/S  /flaky/KEY/N
  /echo (the request as JSON)  /bightml/KB[/TAG]  /longlinks/N/LEN
  /site/SEED/PAGES/N  /empty  /cond/KEY  /bad-chunk  /big-header/KB
  /redirect-to?URL  /link-to?URL  /retry-after-value?VALUE
  /robots.txt (only with --robots-file)

Listens on 127.0.0.1, port 0 unless --port; writes the port and a
newline to --portfile (usually a FIFO read by tests/helpers.bash).

Control endpoints (not counted): /_stats[?reset=1], /_wait?inflight=N,
/_change?key=K[&status=N] (the next version of /cond/K, or its status).
--extra-ports N listens on N more ports (listed in --extra-portfile), the
same routes and counters on each: many "hosts" for a client's caches.
/_stats also counts TLS handshakes, and those that resumed a session.
"in flight" = from the request fully read to the response fully sent (or the
connection gone).
"""

import argparse
import asyncio
import collections
import concurrent.futures
import gzip
import html
import http
import email.utils
import json
import os
import random
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")

MAX_HEAD = 64 * 1024
MAX_STARTS = 10000
CHUNK = 256 * 1024
WAIT_TIMEOUT = 10.0

GZIP_TEXT = b"hello gzip " * 100
GZIP_BODY = gzip.compress(GZIP_TEXT, 9, mtime=0)
BADUTF8 = b"caf\xe9 \xff\xfe ok \xc3\x28 end"
COND_EPOCH = 1700000000  # /cond/KEY version N was modified N hours after


def make_random_block():
    # /bytes/N is the first N bytes of one fixed stream, so /bytes/N is a
    # prefix of /bytes/M (handy for resume tests).  It starts with invalid
    # UTF-8 and NULs so they are always present.
    rnd = random.Random(20240601)
    head = b"\xff\xfe\x00\x01\x00\xc3\x28\x80\xff\x00"
    return head + rnd.randbytes(1024 * 1024 - len(head))


RANDOM_BLOCK = make_random_block()


class Stats:
    def __init__(self):
        self.inflight = 0
        self.inflight_by_host = collections.Counter()
        self.changed = asyncio.Event()
        self.flaky = collections.Counter()
        self.once = collections.Counter()
        # /cond/KEY: version and status of each key, changed by /_change
        # only (a reset keeps them: a test's earlier run must stay valid).
        self.cond = {}
        self.reset()

    def reset(self):
        self.max_inflight = self.inflight
        self.max_by_host = {h: n for h, n in self.inflight_by_host.items() if n > 0}
        self.hits = collections.Counter()
        self.total = 0
        self.connections = 0  # accepted since the last reset
        self.tls_handshakes = 0  # TLS connections since the last reset
        self.tls_resumed = 0  # of which resumed a session
        self.starts = collections.deque(maxlen=MAX_STARTS)
        self.sent = 0  # bytes written for counted requests, heads included
        self.sent_by_path = collections.Counter()
        self.not_modified = 0  # 304s answered to conditional requests
        self.flaky.clear()
        self.once.clear()

    def _notify(self):
        self.changed.set()
        self.changed = asyncio.Event()

    def begin(self, target, path, host):
        self.inflight += 1
        self.inflight_by_host[host] += 1
        if self.inflight > self.max_inflight:
            self.max_inflight = self.inflight
        n = self.inflight_by_host[host]
        if n > self.max_by_host.get(host, 0):
            self.max_by_host[host] = n
        self.hits[path] += 1
        self.total += 1
        self.starts.append({"path": target, "t": time.monotonic(), "host": host})
        self._notify()

    def end(self, host):
        self.inflight -= 1
        self.inflight_by_host[host] -= 1
        if self.inflight_by_host[host] <= 0:
            del self.inflight_by_host[host]
        self._notify()

    def snapshot(self):
        return {
            "inflight": self.inflight,
            "max_inflight": self.max_inflight,
            "max_inflight_by_host": dict(self.max_by_host),
            "hits": dict(self.hits),
            "total": self.total,
            "connections": self.connections,
            "tls_handshakes": self.tls_handshakes,
            "tls_resumed": self.tls_resumed,
            "starts": list(self.starts),
            "sent": self.sent,
            "sent_by_path": dict(self.sent_by_path),
            "not_modified": self.not_modified,
        }


class ClientGone(Exception):
    pass


class BadRequest(Exception):
    pass


class Request:
    __slots__ = ("method", "target", "path", "query", "version", "headers",
                 "hdict", "body")

    def header(self, name, default=""):
        return self.hdict.get(name, default)


class Conn:
    """Buffered reading on top of a StreamReader, so that a watcher task can
    read ahead (to notice the client going away) without losing bytes."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.buf = bytearray()
        self.eof = False
        self.sent = 0  # bytes written to the client

    async def fill(self):
        if self.eof:
            return False
        try:
            data = await self.reader.read(65536)
        except (ConnectionError, OSError, ssl.SSLError):
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    async def read_head(self):
        start = 0
        while True:
            i = self.buf.find(b"\r\n\r\n", start)
            if i >= 0:
                head = bytes(self.buf[:i])
                del self.buf[:i + 4]
                return head
            if len(self.buf) > MAX_HEAD:
                raise BadRequest("request head too large")
            if self.buf[:1] == b"\x16":
                # A TLS ClientHello on the plain server: no request head
                # will ever come, so answer at once instead of waiting.
                raise BadRequest("TLS spoken to a plain HTTP server")
            start = max(0, len(self.buf) - 3)
            if not await self.fill():
                return None

    async def read_line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[:i + 2]
                return line
            if len(self.buf) > MAX_HEAD:
                raise BadRequest("line too long")
            if not await self.fill():
                raise ClientGone()

    async def read_exact(self, n):
        while len(self.buf) < n:
            if not await self.fill():
                raise ClientGone()
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    async def read_chunked(self):
        out = bytearray()
        while True:
            line = await self.read_line()
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise BadRequest("bad chunk size")
            if size == 0:
                while await self.read_line():  # trailers
                    pass
                return bytes(out)
            out += await self.read_exact(size)
            await self.read_line()

    async def sleep(self, seconds):
        """Sleep, but raise ClientGone as soon as the client closes."""
        if seconds <= 0:
            return
        if self.eof:
            raise ClientGone()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            watch = asyncio.ensure_future(self.fill())
            try:
                done, _ = await asyncio.wait({watch}, timeout=remaining)
            finally:
                if not watch.done():
                    watch.cancel()
                    try:
                        await watch
                    except asyncio.CancelledError:
                        pass
            if watch in done and not watch.result():
                raise ClientGone()
            # else: timeout, or pipelined bytes were buffered; loop

    async def wait_gone(self):
        while await self.fill():
            pass

    async def send(self, data):
        self.sent += len(data)
        self.writer.write(data)
        await self.writer.drain()

    def rst(self):
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                struct.pack("ii", 1, 0))
            except OSError:
                pass
        self.writer.transport.abort()


def head_bytes(status, headers, reason=None):
    if reason is None:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
    lines = ["HTTP/1.1 %d %s" % (status, reason)]
    for k, v in headers:
        lines.append("%s: %s" % (k, v))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Server:
    def __init__(self, args):
        self.args = args
        self.stats = Stats()
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.bomb = None  # future: gzip of 64 MiB of zeros
        self.conns = set()  # open connections' writers
        self.robots = None
        self.bightml = {}  # KiB -> body of /bightml/KB
        if args.robots_file:
            with open(args.robots_file, "rb") as f:
                self.robots = f.read()

    # ---- plumbing -------------------------------------------------------

    async def handle_conn(self, reader, writer):
        conn = Conn(reader, writer)
        self.conns.add(writer)
        self.stats.connections += 1
        tls = writer.get_extra_info("ssl_object")
        if tls is not None:  # asyncio has done the handshake
            self.stats.tls_handshakes += 1
            self.stats.tls_resumed += int(tls.session_reused)
        try:
            while True:
                req = await self.read_request(conn)
                if req is None:
                    break
                keep = await self.dispatch(conn, req)
                if not keep:
                    break
        except (ClientGone, ConnectionError, OSError, ssl.SSLError,
                asyncio.IncompleteReadError, BadRequest):
            pass
        except asyncio.CancelledError:
            pass  # shutting down; ending quietly keeps asyncio from logging
        finally:
            self.conns.discard(writer)
            try:
                writer.close()
            except Exception:
                pass

    async def read_request(self, conn):
        try:
            head = await conn.read_head()
        except BadRequest:
            await conn.send(head_bytes(431, [("Content-Length", 0),
                                             ("Connection", "close")]))
            raise
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        while lines and lines[0] == "":  # tolerate stray CRLFs
            lines.pop(0)
        if not lines:
            return None
        parts = lines[0].split(" ")
        if len(parts) != 3:
            await conn.send(head_bytes(400, [("Content-Length", 0),
                                             ("Connection", "close")]))
            raise BadRequest(lines[0])
        req = Request()
        req.method, req.target, req.version = parts
        req.headers = []
        req.hdict = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                continue
            name = name.strip().lower()
            value = value.strip()
            req.headers.append((name, value))
            if name in req.hdict:
                req.hdict[name] += ", " + value
            else:
                req.hdict[name] = value
        target = req.target
        if "://" in target:  # absolute-form
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        req.path, _, req.query = target.partition("?")
        if req.header("expect").lower() == "100-continue":
            await conn.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        if "chunked" in req.header("transfer-encoding").lower():
            req.body = await conn.read_chunked()
        else:
            try:
                n = int(req.header("content-length", "0") or "0")
            except ValueError:
                raise BadRequest("bad content-length")
            req.body = await conn.read_exact(n) if n > 0 else b""
        return req

    def wants_keepalive(self, req):
        c = req.header("connection").lower()
        if "close" in c:
            return False
        if req.version == "HTTP/1.0":
            return "keep-alive" in c
        return True

    def log_line(self, req, status):
        if self.log:
            self.log.write("%.6f %s %s %s\n" % (time.time(), req.method,
                                                req.target, status))

    # ---- dispatch -------------------------------------------------------

    async def dispatch(self, conn, req):
        keep = self.wants_keepalive(req)
        ctx = {"status": "-"}
        if req.path.startswith("/_"):
            try:
                return await self.control(conn, req, keep, ctx)
            finally:
                self.log_line(req, ctx["status"])
        host = req.header("host")
        self.stats.begin(req.target, req.path, host)
        before = conn.sent
        try:
            return await self.route(conn, req, keep, ctx)
        finally:
            self.stats.end(host)
            self.stats.sent += conn.sent - before
            self.stats.sent_by_path[req.path] += conn.sent - before
            self.log_line(req, ctx["status"])

    async def respond(self, conn, req, keep, ctx, status, body=b"",
                      ctype="text/plain; charset=utf-8", headers=(),
                      reason=None):
        ctx["status"] = status
        hdrs = []
        if status >= 200 and status not in (204, 304):
            hdrs.append(("Content-Type", ctype))
            hdrs.append(("Content-Length", len(body)))
        else:
            body = b""
        hdrs.extend(headers)
        hdrs.append(("Connection", "keep-alive" if keep else "close"))
        data = head_bytes(status, hdrs, reason)
        if req.method != "HEAD":
            if len(body) <= CHUNK:
                data += body
            else:
                await conn.send(data)
                data = b""
                view = memoryview(body)
                for i in range(0, len(body), CHUNK):
                    await conn.send(view[i:i + CHUNK])
        if data:
            await conn.send(data)
        return keep

    async def text(self, conn, req, keep, ctx, status, text, headers=()):
        return await self.respond(conn, req, keep, ctx, status,
                                  text.encode(), headers=headers)

    async def control(self, conn, req, keep, ctx):
        q = urllib.parse.parse_qs(req.query)
        if req.path == "/_stats":
            body = json.dumps(self.stats.snapshot()).encode()
            if q.get("reset", ["0"])[0] not in ("0", ""):
                self.stats.reset()
            return await self.respond(conn, req, keep, ctx, 200, body,
                                      "application/json")
        if req.path == "/_wait":
            try:
                want = int(q.get("inflight", ["1"])[0])
                timeout = float(q.get("timeout", [str(WAIT_TIMEOUT)])[0])
            except ValueError:
                return await self.text(conn, req, keep, ctx, 400, "bad query\n")
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while self.stats.inflight < want:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return await self.text(
                        conn, req, keep, ctx, 504,
                        "inflight %d < %d\n" % (self.stats.inflight, want))
                try:
                    await asyncio.wait_for(self.stats.changed.wait(), remaining)
                except asyncio.TimeoutError:
                    pass
            return await self.text(conn, req, keep, ctx, 200,
                                   "inflight %d\n" % self.stats.inflight)
        if req.path == "/_change":
            # /_change?key=K: /cond/K serves its next version; with
            # &status=N it answers N instead (200: its body again).
            key = q.get("key", [""])[0]
            st = self.stats.cond.setdefault(key, {"version": 1, "status": 200})
            try:
                if "status" in q:
                    st["status"] = int(q["status"][0])
                else:
                    st["version"] += 1
            except ValueError:
                return await self.text(conn, req, keep, ctx, 400, "bad query\n")
            return await self.respond(conn, req, keep, ctx, 200,
                                      json.dumps(st).encode(),
                                      "application/json")
        return await self.text(conn, req, keep, ctx, 404, "no such control\n")

    async def route(self, conn, req, keep, ctx):
        seg = req.path.split("/")[1:]
        name = seg[0] if seg else ""
        args = seg[1:]

        def intarg(i, default=None):
            try:
                return int(args[i])
            except (IndexError, ValueError):
                if default is None:
                    raise BadArg()
                return default

        if req.path == "/robots.txt":
            # Served only by a server started with --robots-file.
            if not self.robots:
                return await self.text(conn, req, keep, ctx, 404, "no robots\n")
            return await self.respond(conn, req, keep, ctx, 200, self.robots)
        try:
            handler = getattr(self, "r_" + name.replace("-", "_"), None)
            if handler is None or name.startswith("_"):
                return await self.text(conn, req, keep, ctx, 404, "not found\n")
            return await handler(conn, req, keep, ctx, args, intarg)
        except BadArg:
            return await self.text(conn, req, keep, ctx, 404, "bad argument\n")

    # ---- routes (r_<first path segment>, '-' -> '_') -------------------

    async def r_status(self, conn, req, keep, ctx, args, intarg):
        code = intarg(0)
        if not 200 <= code <= 999:
            raise BadArg()
        return await self.text(conn, req, keep, ctx, code, "status %d\n" % code)

    async def r_delay(self, conn, req, keep, ctx, args, intarg):
        await conn.sleep(intarg(0) / 1000.0)
        return await self.text(conn, req, keep, ctx, 200, "ok")

    async def r_idle_close(self, conn, req, keep, ctx, args, intarg):
        # Answer as if keeping the connection, then close it MS ms later
        # while the client holds it idle (a keep-alive timeout).
        ms = intarg(0)
        await self.text(conn, req, True, ctx, 200, "ok")
        await conn.sleep(ms / 1000.0)
        return False

    async def r_hang(self, conn, req, keep, ctx, args, intarg):
        await conn.wait_gone()
        return False

    async def r_reset(self, conn, req, keep, ctx, args, intarg):
        ctx["status"] = "RST"
        conn.rst()
        return False

    async def r_reset_mid_body(self, conn, req, keep, ctx, args, intarg):
        ctx["status"] = "200+RST"
        await conn.send(head_bytes(200, [
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", 100000)]) + b"x" * 1000)
        # let the bytes leave before the RST (an RST discards unsent data)
        await conn.sleep(0.05)
        conn.rst()
        return False

    async def r_bytes(self, conn, req, keep, ctx, args, intarg):
        n = intarg(0)
        if n < 0:
            raise BadArg()
        ctx["status"] = 200
        await conn.send(head_bytes(200, [
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", n),
            ("Connection", "keep-alive" if keep else "close")]))
        if req.method != "HEAD":
            block = len(RANDOM_BLOCK)
            off = 0
            while off < n:
                k = min(n - off, block, CHUNK)
                s = off % block
                k = min(k, block - s)
                await conn.send(RANDOM_BLOCK[s:s + k])
                off += k
        return keep

    async def r_text(self, conn, req, keep, ctx, args, intarg):
        n = intarg(0)
        if n < 0:
            raise BadArg()
        return await self.respond(conn, req, keep, ctx, 200, b"a" * n)

    async def r_repeat(self, conn, req, keep, ctx, args, intarg):
        # /repeat/N/TEXT: TEXT (percent-decoded) N times, as text/plain.
        n = intarg(0)
        text = urllib.parse.unquote_to_bytes(args[1]) if len(args) == 2 \
            else b""
        if not text or not 0 <= n * len(text) <= 64 << 20:
            raise BadArg()
        return await self.respond(conn, req, keep, ctx, 200, text * n)

    async def r_badutf8(self, conn, req, keep, ctx, args, intarg):
        return await self.respond(conn, req, keep, ctx, 200, BADUTF8)

    async def r_drip(self, conn, req, keep, ctx, args, intarg):
        # /drip/N/MS[/FIRST]: FIRST bytes (default 0) at once, then N
        # bytes one every MS milliseconds.
        n, ms = intarg(0), intarg(1)
        first = intarg(2) if len(args) > 2 else 0
        if not 0 <= first <= 64 * 1024 * 1024:
            raise BadArg()
        ctx["status"] = 200
        await conn.send(head_bytes(200, [
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", first + n),
            ("Connection", "keep-alive" if keep else "close")]))
        if first:
            await conn.send(b"f" * first)
        for _ in range(n):
            await conn.sleep(ms / 1000.0)
            await conn.send(b"d")
        return keep

    async def r_redirect(self, conn, req, keep, ctx, args, intarg):
        n = intarg(0)
        if n <= 0:
            return await self.text(conn, req, keep, ctx, 200, "done")
        return await self.text(conn, req, keep, ctx, 302, "redirect\n",
                               [("Location", "/redirect/%d" % (n - 1))])

    async def r_loop(self, conn, req, keep, ctx, args, intarg):
        return await self.text(conn, req, keep, ctx, 302, "loop\n",
                               [("Location", "/loop")])

    async def r_gzip(self, conn, req, keep, ctx, args, intarg):
        if "gzip" in req.header("accept-encoding").lower():
            return await self.respond(conn, req, keep, ctx, 200, GZIP_BODY,
                                      headers=[("Content-Encoding", "gzip"),
                                               ("X-Was-Gzipped", "1")])
        return await self.respond(conn, req, keep, ctx, 200, GZIP_TEXT,
                                  headers=[("X-Was-Gzipped", "0")])

    async def r_gzip_bomb(self, conn, req, keep, ctx, args, intarg):
        if self.bomb is None:
            # Built on first use: most runs never ask, and it costs ~1 s.
            self.bomb = start_bomb()
        body = await asyncio.wrap_future(self.bomb)
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "application/octet-stream",
                                  headers=[("Content-Encoding", "gzip")])

    async def r_html(self, conn, req, keep, ctx, args, intarg):
        # /html/NAME[?delay=MS]: fixtures/NAME.html, after MS ms.
        name = urllib.parse.unquote(args[0]) if len(args) == 1 else ""
        if not name or "/" in name or ".." in name or "\0" in name:
            return await self.text(conn, req, keep, ctx, 404, "bad name\n")
        delay = urllib.parse.parse_qs(req.query).get("delay", ["0"])[0]
        if not delay.isdigit() or int(delay) > 60000:
            raise BadArg()
        await conn.sleep(int(delay) / 1000.0)
        try:
            with open(os.path.join(FIXTURES, name + ".html"), "rb") as f:
                body = f.read()
        except OSError:
            return await self.text(conn, req, keep, ctx, 404, "no fixture\n")
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "text/html; charset=utf-8")

    async def r_page(self, conn, req, keep, ctx, args, intarg):
        # /page/NAME.EXT: fixtures/NAME.EXT with the type its extension
        # names and no charset, so that a page's <meta> decides.
        name = urllib.parse.unquote(args[0]) if len(args) == 1 else ""
        if not name or "/" in name or name.startswith(".") or "\0" in name:
            return await self.text(conn, req, keep, ctx, 404, "bad name\n")
        types = {"html": "text/html", "css": "text/css", "png": "image/png",
                 "js": "application/javascript"}
        ctype = types.get(name.rsplit(".", 1)[-1], "application/octet-stream")
        try:
            with open(os.path.join(FIXTURES, name), "rb") as f:
                body = f.read()
        except OSError:
            return await self.text(conn, req, keep, ctx, 404, "no fixture\n")
        return await self.respond(conn, req, keep, ctx, 200, body, ctype)

    async def r_headers(self, conn, req, keep, ctx, args, intarg):
        kb = intarg(0)
        if not 0 <= kb <= 100 * 1024:
            raise BadArg()
        # "X-Fill-NNNNN: " + 84 chars + CRLF = 100 bytes per line
        lines = [("X-Fill-%05d" % i, "f" * 84)
                 for i in range(kb * 1024 // 100)]
        return await self.text(conn, req, keep, ctx, 200, "headers\n", lines)

    async def r_manyheaders(self, conn, req, keep, ctx, args, intarg):
        # /manyheaders/N: N short headers, each with its own name in base
        # 36 and an empty value ("1z:"), as a hostile server sends to
        # make recording them costly: 44,000 of them fit in libcurl's
        # 300 KiB limit on a response's headers.
        n = intarg(0)
        if not 0 <= n <= 45000:
            raise BadArg()
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        names = []
        for i in range(n):
            name = ""
            while True:
                name = digits[i % 36] + name
                i //= 36
                if not i:
                    break
            names.append(name)
        ctx["status"] = 200
        head = ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: %s\r\n"
                % ("keep-alive" if keep else "close") +
                "".join("%s:\r\n" % nm for nm in names) + "\r\n")
        await conn.send(head.encode() + (b"" if req.method == "HEAD"
                                         else b"many\n"))
        return keep

    async def r_dupheaders(self, conn, req, keep, ctx, args, intarg):
        return await self.text(conn, req, keep, ctx, 200, "dup\n", [
            ("X-Dup", "a"), ("X-Dup", "b"),
            ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/")])

    async def r_ctype(self, conn, req, keep, ctx, args, intarg):
        # /ctype/VALUE: Content-Type is VALUE percent-decoded, control
        # bytes included (CR and LF refused: they would end the header).
        if len(args) != 1:
            raise BadArg()
        value = urllib.parse.unquote(args[0], encoding="latin-1")
        if "\r" in value or "\n" in value:
            raise BadArg()
        return await self.respond(conn, req, keep, ctx, 200, b"ctype\n",
                                  value)

    async def r_bad_status(self, conn, req, keep, ctx, args, intarg):
        ctx["status"] = "bad"
        await conn.send(b"HTTP/1.1 abc\r\n\r\n")
        return False

    async def r_retry_after(self, conn, req, keep, ctx, args, intarg):
        if len(args) != 1:
            raise BadArg()
        return await self.text(conn, req, keep, ctx, 429, "slow down\n",
                               [("Retry-After", args[0])])

    async def r_retry_after_once(self, conn, req, keep, ctx, args, intarg):
        if len(args) != 2:
            raise BadArg()
        key = args[0]
        self.stats.once[key] += 1
        if self.stats.once[key] == 1:
            return await self.text(conn, req, keep, ctx, 429, "slow down\n",
                                   [("Retry-After", args[1])])
        return await self.text(conn, req, keep, ctx, 200, "ok")

    async def r_retry_after_date_once(self, conn, req, keep, ctx, args,
                                      intarg):
        # As /retry-after-once/KEY/S, with Retry-After as an HTTP date S
        # seconds ahead (whole seconds: the date has no fraction).
        if len(args) != 2:
            raise BadArg()
        key = args[0]
        self.stats.once[key] += 1
        if self.stats.once[key] == 1:
            when = email.utils.formatdate(time.time() + intarg(1),
                                          usegmt=True)
            return await self.text(conn, req, keep, ctx, 503, "later\n",
                                   [("Retry-After", when)])
        return await self.text(conn, req, keep, ctx, 200, "ok")

    async def r_flaky(self, conn, req, keep, ctx, args, intarg):
        if len(args) != 2:
            raise BadArg()
        key, n = args[0], intarg(1)
        self.stats.flaky[key] += 1
        if self.stats.flaky[key] <= n:
            return await self.text(conn, req, keep, ctx, 503, "flaky\n")
        return await self.text(conn, req, keep, ctx, 200, "ok")

    async def r_echo(self, conn, req, keep, ctx, args, intarg):
        body = json.dumps({
            "method": req.method,
            "path": req.target,
            "headers": req.hdict,
            "body": req.body.decode("utf-8", "replace"),
        }).encode()
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "application/json")

    async def r_bightml(self, conn, req, keep, ctx, args, intarg):
        # /bightml/KB[/TAG]: an HTML page of about KB KiB (built once per
        # size), thousands of elements with 50 distinct links, a title
        # and one data-page attribute; TAG only makes the URL distinct.
        kb = intarg(0)
        if not 1 <= kb <= 64 * 1024:
            raise BadArg()
        body = self.bightml.get(kb)
        if body is None:
            body = make_bightml(kb)
            self.bightml[kb] = body
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "text/html; charset=utf-8")

    async def r_longlinks(self, conn, req, keep, ctx, args, intarg):
        # /longlinks/N/LEN: an HTML page linking to N paths of LEN bytes
        # each ("/aaa...a/I"), as a page can make robots.txt checks long.
        n, length = intarg(0), intarg(1)
        if not 0 <= n <= 1000 or not 1 <= length <= 100000:
            raise BadArg()
        body = ("<html><body>" +
                "".join('<a href="/%s/%d">%d</a>\n' % ("a" * length, i, i)
                        for i in range(n)) +
                "</body></html>\n").encode()
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "text/html; charset=utf-8")

    async def r_site(self, conn, req, keep, ctx, args, intarg):
        # /site/SEED/PAGES/N: page N of a generated site of PAGES pages.
        # It links to its children 4N+1 .. 4N+4 (so every page is
        # reachable from page 0 within log4(PAGES) hops) and to three
        # pages picked by SEED and N (so pages are found many times).
        seed, pages, n = intarg(0), intarg(1), intarg(2)
        if seed < 0 or not 1 <= pages <= 10 ** 7 or not 0 <= n < pages:
            raise BadArg()
        base = "/site/%d/%d/" % (seed, pages)
        links = [c for c in range(4 * n + 1, 4 * n + 5) if c < pages]
        for j in range(3):
            links.append((n * 2654435761 + j * 40503 + seed * 97 + 11)
                         % pages)
        body = ("<html><head><title>site %d page %d</title></head><body>"
                % (seed, n) +
                "".join('<a href="%s%d">%d</a>\n' % (base, m, m)
                        for m in links) +
                "</body></html>\n").encode()
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "text/html; charset=utf-8")

    async def r_empty(self, conn, req, keep, ctx, args, intarg):
        return await self.respond(conn, req, keep, ctx, 200, b"")

    async def r_cond(self, conn, req, keep, ctx, args, intarg):
        # /cond/KEY: an HTML page (title "KEY vN") that changes when
        # /_change?key=KEY says so, with an ETag and a Last-Modified (one
        # hour later each version), answering If-None-Match and
        # If-Modified-Since with 304 as RFC 9110 13.2.2 orders them.
        # Query: etag=0, lm=0 leave a validator out; bare304=1 sends a 304
        # without them; size=N pads the body to N bytes (default 2000);
        # link=URL (repeatable) adds a link.
        if len(args) != 1 or not args[0]:
            raise BadArg()
        key = args[0]
        q = urllib.parse.parse_qs(req.query)
        st = self.stats.cond.setdefault(key, {"version": 1, "status": 200})
        if st["status"] != 200:
            return await self.text(conn, req, keep, ctx, st["status"],
                                   "cond %s fails\n" % key)
        use_etag = q.get("etag", ["1"])[0] != "0"
        use_lm = q.get("lm", ["1"])[0] != "0"
        etag = '"%s-v%d"' % (key, st["version"])
        mtime = COND_EPOCH + 3600 * st["version"]
        hdrs = []
        if use_etag:
            hdrs.append(("ETag", etag))
        if use_lm:
            hdrs.append(("Last-Modified",
                         email.utils.formatdate(mtime, usegmt=True)))
        inm = req.header("if-none-match")
        ims = req.header("if-modified-since")
        if inm:
            tags = [t.strip() for t in inm.split(",")]
            fresh = use_etag and ("*" in tags or etag in tags or
                                  "W/" + etag in tags)
        elif ims and use_lm:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                since = None
            fresh = since is not None and mtime <= since
        else:
            fresh = False
        if fresh:
            self.stats.not_modified += 1
            return await self.respond(
                conn, req, keep, ctx, 304,
                headers=[] if q.get("bare304", ["0"])[0] == "1" else hdrs)
        links = "".join('<a href="%s">%s</a>\n' % (l, l)
                        for l in q.get("link", []))
        page = ("<!doctype html><html><head><title>%s v%d</title></head>"
                "<body>%s<p>" % (key, st["version"], links)).encode()
        tail = b"</p></body></html>\n"
        size = int(q.get("size", ["2000"])[0])
        body = page + b"x" * max(0, size - len(page) - len(tail)) + tail
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "text/html; charset=utf-8", headers=hdrs)

    # ---- hostile responses (issue 10) ---------------------------------

    async def r_bad_chunk(self, conn, req, keep, ctx, args, intarg):
        # A chunked body whose second chunk size is not hex.
        ctx["status"] = "200+badchunk"
        await conn.send(head_bytes(200, [
            ("Content-Type", "text/plain"),
            ("Transfer-Encoding", "chunked"),
            ("Connection", "close")]) + b"5\r\nhello\r\nzz\r\n")
        return False

    async def r_big_header(self, conn, req, keep, ctx, args, intarg):
        # One header line of KB KiB ("X-Big: bbb...").
        kb = intarg(0)
        if not 0 <= kb <= 16 * 1024:
            raise BadArg()
        return await self.text(conn, req, keep, ctx, 200, "big header\n",
                               [("X-Big", "b" * (kb * 1024))])

    async def r_redirect_to(self, conn, req, keep, ctx, args, intarg):
        # A 302 to the percent-decoded query, whatever its scheme.
        where = urllib.parse.unquote(req.query)
        return await self.text(conn, req, keep, ctx, 302, "redirect\n",
                               [("Location", where)])

    async def r_link_to(self, conn, req, keep, ctx, args, intarg):
        # An HTML page whose one link is the percent-decoded query.
        where = html.escape(urllib.parse.unquote(req.query), quote=True)
        body = ('<!DOCTYPE html><html><head><title>link</title></head>'
                '<body><a href="%s">there</a></body></html>\n' % where)
        return await self.respond(conn, req, keep, ctx, 200, body.encode(),
                                  "text/html; charset=utf-8")

    async def r_retry_after_value(self, conn, req, keep, ctx, args, intarg):
        # A 429 whose Retry-After is the percent-decoded query, as is.
        return await self.text(conn, req, keep, ctx, 429, "slow down\n",
                               [("Retry-After",
                                 urllib.parse.unquote(req.query))])


class BadArg(Exception):
    pass


def make_bightml(kb):
    parts = ['<!DOCTYPE html><html><head><title>Big page of %d KiB</title>'
             '</head><body data-page="%d">\n' % (kb, kb)]
    size = len(parts[0])
    i = 0
    while size < kb * 1024:
        block = ('<div class="item" id="i%d"><h2>Item %d</h2><p>Some text '
                 'about item %d, price %d.50 EUR, with <b>bold</b> and '
                 '<i>italic</i> words.</p><a href="/bightml-item/%d">item'
                 '</a></div>\n' % (i, i, i, i % 100, i % 50))
        parts.append(block)
        size += len(block)
        i += 1
    parts.append("</body></html>\n")
    return "".join(parts).encode()


def start_bomb():
    # A daemon thread (zlib drops the GIL), so startup is not delayed and a
    # quick SIGTERM does not wait for it the way the default executor would.
    fut = concurrent.futures.Future()

    def run():
        fut.set_result(gzip.compress(bytes(64 << 20), 9, mtime=0))
    threading.Thread(target=run, daemon=True).start()
    return fut


def write_portfile(path, port):
    # In a daemon thread: opening a FIFO blocks until there is a reader, and
    # that must not keep --max-seconds or SIGTERM from ending us.
    def run():
        try:
            with open(path, "w") as f:
                f.write("%d\n" % port)
        except OSError as e:
            print("server.py: portfile %s: %s" % (path, e), file=sys.stderr)
    threading.Thread(target=run, daemon=True).start()


async def main(args):
    loop = asyncio.get_running_loop()
    srv = Server(args)
    sslctx = None
    if args.tls_cert:
        sslctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        sslctx.load_cert_chain(args.tls_cert, args.tls_key)
    server = await asyncio.start_server(
        srv.handle_conn, host="127.0.0.1",
        port=args.port or args.port_arg or 0, backlog=1024,
        ssl=sslctx, reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    # --extra-ports: more listening ports with the same routes and counters,
    # each a host of its own to a client's connection cache. Their list is
    # complete before the main port is announced.
    extra = []
    for _ in range(args.extra_ports):
        s = await asyncio.start_server(
            srv.handle_conn, host="127.0.0.1", port=0, backlog=1024,
            ssl=sslctx, reuse_address=True)
        extra.append(s)
    if args.extra_ports:
        with open(args.extra_portfile, "w") as f:
            for s in extra:
                f.write("%d\n" % s.sockets[0].getsockname()[1])
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.portfile:
        write_portfile(args.portfile, port)
    try:
        await asyncio.wait_for(stop.wait(), args.max_seconds)
    except asyncio.TimeoutError:
        print("server.py: --max-seconds %g reached" % args.max_seconds,
              file=sys.stderr)
    server.close()
    for s in extra:
        s.close()
    for w in list(srv.conns):
        w.transport.abort()
    await asyncio.sleep(0)  # let handlers see the connection go
    if srv.log:
        srv.log.close()
        srv.log = None


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                allow_abbrev=False)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("port_arg", nargs="?", type=int, metavar="PORT",
                   help="the same as --port PORT")
    p.add_argument("--portfile")
    p.add_argument("--log")
    p.add_argument("--max-seconds", type=float, default=600)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--robots-file",
                   help="serve this file as /robots.txt (else 404)")
    p.add_argument("--extra-ports", type=int, default=0, metavar="N",
                   help="also listen on N more ports (kernel-chosen)")
    p.add_argument("--extra-portfile",
                   help="write the --extra-ports there, one a line")
    args = p.parse_args(argv)
    if args.extra_ports and not args.extra_portfile:
        p.error("--extra-ports needs --extra-portfile")
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")
    return args


if __name__ == "__main__":
    try:
        asyncio.run(main(parse_args(sys.argv[1:])))
    except KeyboardInterrupt:
        pass
