#!/usr/bin/python3
"""Compare the titles and links of two volley runs over the same pages.

    crawlcheck.py SITE DEFAULT.ndjson DOM.ndjson

DEFAULT is `volley --title --links` (volley's default extraction), DOM the
same with an -x expression, which makes volley build the DOM. Records are
matched by URL; a page whose title or links differ is a mismatch. Prints one
markdown list item for SITE, then the first mismatches.
"""
import json
import sys


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("status") == 200:
                out[rec["url"]] = (rec.get("title"), rec.get("links") or [])
    return out


def main(site, a_path, b_path):
    a, b = load(a_path), load(b_path)
    both = sorted(set(a) & set(b))
    titles = [u for u in both if a[u][0] != b[u][0]]
    links = [u for u in both if a[u][1] != b[u][1]]
    nlinks = sum(len(a[u][1]) for u in both)
    print(f"- {site}: {len(both)} pages ({len(a)} and {len(b)} fetched), "
          f"{nlinks} links; titles differ on {len(titles)} pages, "
          f"links on {len(links)}")
    for u in titles[:3]:
        print(f"  - title of {u}: {a[u][0]!r} against {b[u][0]!r}")
    for u in links[:3]:
        only_a = [x for x in a[u][1] if x not in b[u][1]][:3]
        only_b = [x for x in b[u][1] if x not in a[u][1]][:3]
        print(f"  - links of {u}: only default {only_a}, only DOM {only_b}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
