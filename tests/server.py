#!/usr/bin/env python3
"""Fault-injecting HTTP/1.1 test server for volley's tests (stdlib only).

The fault is taken from the request path; see ROUTES below and STYLE.md
section 7.  Listens on 127.0.0.1, port 0 unless --port; writes the port and a
newline to --portfile (usually a FIFO read by tests/helpers.bash).

Control endpoints (not counted): /_stats[?reset=1], /_wait?inflight=N.
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
        try:
            return await self.route(conn, req, keep, ctx)
        finally:
            self.stats.end(host)
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

    async def r_badutf8(self, conn, req, keep, ctx, args, intarg):
        return await self.respond(conn, req, keep, ctx, 200, BADUTF8)

    async def r_drip(self, conn, req, keep, ctx, args, intarg):
        n, ms = intarg(0), intarg(1)
        ctx["status"] = 200
        await conn.send(head_bytes(200, [
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", n),
            ("Connection", "keep-alive" if keep else "close")]))
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
        name = urllib.parse.unquote(args[0]) if len(args) == 1 else ""
        if not name or "/" in name or ".." in name or "\0" in name:
            return await self.text(conn, req, keep, ctx, 404, "bad name\n")
        try:
            with open(os.path.join(FIXTURES, name + ".html"), "rb") as f:
                body = f.read()
        except OSError:
            return await self.text(conn, req, keep, ctx, 404, "no fixture\n")
        return await self.respond(conn, req, keep, ctx, 200, body,
                                  "text/html; charset=utf-8")

    async def r_headers(self, conn, req, keep, ctx, args, intarg):
        kb = intarg(0)
        if not 0 <= kb <= 100 * 1024:
            raise BadArg()
        # "X-Fill-NNNNN: " + 84 chars + CRLF = 100 bytes per line
        lines = [("X-Fill-%05d" % i, "f" * 84)
                 for i in range(kb * 1024 // 100)]
        return await self.text(conn, req, keep, ctx, 200, "headers\n", lines)

    async def r_dupheaders(self, conn, req, keep, ctx, args, intarg):
        return await self.text(conn, req, keep, ctx, 200, "dup\n", [
            ("X-Dup", "a"), ("X-Dup", "b"),
            ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/")])

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

    async def r_empty(self, conn, req, keep, ctx, args, intarg):
        return await self.respond(conn, req, keep, ctx, 200, b"")


class BadArg(Exception):
    pass


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
