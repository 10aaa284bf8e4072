#!/usr/bin/python3
"""The Python peer of tests/bench/run: fetch a URL list with asyncio + aiohttp.

    /usr/bin/python3 aiohttp_fetch.py -c C LISTFILE > records.ndjson

This is the script a user would write first: one task per URL, created up
front, at most C in flight (asyncio.BoundedSemaphore and a connector limited to
C connections), results taken with asyncio.as_completed() and printed as one
JSON line per request, with the same keys as a volley record so that the cost
of building the output is comparable.  Bodies are read and dropped.

It needs Debian's python3-aiohttp, so it runs under /usr/bin/python3 (the
pyenv python3 on PATH has no aiohttp).
"""
import argparse
import asyncio
import json
import sys
import time

import aiohttp


async def get(session, sem, rid, url):
    async with sem:
        t0 = time.monotonic()
        status, size, error = None, 0, None
        try:
            async with session.get(url) as resp:
                status = resp.status
                size = len(await resp.read())
        except Exception as exc:  # every request gets a record
            error = {"kind": "other", "message": f"{type(exc).__name__}: {exc}"}
        return {
            "id": rid,
            "url": url,
            "ok": error is None and status is not None and status < 400,
            "status": status,
            "attempts": 1,
            "time": round(time.monotonic() - t0, 6),
            "size": size,
            "error": error,
        }


async def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-c", "--concurrency", type=int, default=64)
    ap.add_argument("list", help="file with one URL a line")
    args = ap.parse_args()

    with open(args.list) as f:
        urls = [line.strip() for line in f if line.strip()]

    sem = asyncio.BoundedSemaphore(args.concurrency)
    connector = aiohttp.TCPConnector(limit=args.concurrency, limit_per_host=0)
    timeout = aiohttp.ClientTimeout(total=60)
    write = sys.stdout.write
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as s:
        tasks = [asyncio.create_task(get(s, sem, i, u))
                 for i, u in enumerate(urls, 1)]
        for done in asyncio.as_completed(tasks):
            write(json.dumps(await done, separators=(",", ":")) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
