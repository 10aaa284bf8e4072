#!/usr/bin/python3
"""Turn the per-run TSV of tests/bench/run into markdown tables.

    table.py RAW.tsv [--tls-delay MIN-MAX] [--tls-per K]

Every figure is the median over the runs of a row, with [min-max] when there
is more than one run.  The ratio columns compare the set's subject (volley, or
volley --http2 in the h2 set) with each row, run by run: runs with the same
index ran back to back, so each ratio pairs runs made at about the same time
on this drifting machine; the column is the median of those per-run ratios.
"""
import csv
import statistics
import sys
from collections import OrderedDict

SUBJECT = {"h2": "volley-h2"}
# volley's targets (issue 5): ratio of volley's figure to the peer's
TARGETS = [("wget2", "req/s", 1.0, ">="), ("curl-parallel", "req/s", 2.5, ">="),
           ("wrk", "req/s", 0.75, ">="), ("curl-parallel", "CPU/req", 0.5, "<=")]
# the hosts set's (issue 14)
HOST_TARGETS = [("wget2", "req/s", 1.0, ">=")]
LABEL = {
    "volley": "volley",
    "volley-x2": "volley x2 (--shard 0/2, 1/2)",
    "volley-nc": "volley --no-compressed",
    "volley-h2": "volley --http2",
    "volley-h1.1": "volley --http1.1",
    "curl-parallel": "curl --parallel",
    "curl-h2": "curl --parallel --http2",
    "curl-h1.1": "curl --parallel --http1.1",
    "xargs-curl": "xargs -P C curl (50 URLs each)",
    "wget2": "wget2 --max-threads",
    "aiohttp": "python3 aiohttp",
    "aria2c": "aria2c -j",
    "wrk": "wrk (one URL, the ceiling)",
    "floor": "libcurl floor (floor.c)",
    "volley-crawl": "volley --crawl (links only)",
    "volley-save": "volley --crawl --save DIR",
    "wget2-mirror": "wget2 -r -l 0 (mirror)",
}


def med(xs):
    return statistics.median(xs)


def fmt(xs, nd):
    if not xs:
        return "-"
    if len(xs) == 1:
        return f"{xs[0]:.{nd}f}"
    return f"{med(xs):.{nd}f} [{min(xs):.{nd}f}-{max(xs):.{nd}f}]"


class Run:
    def __init__(self, row):
        self.tool = row["tool"]
        self.run = int(row["run"])
        self.n = int(row["N"])
        self.wall = float(row["wall_s"])
        self.cpu = float(row["user_s"]) + float(row["sys_s"])
        self.rss = int(row["maxrss_kb"]) / 1024
        self.ok = int(row["ok"] or 0)
        self.conns = int(row["conns"])
        self.ncpu = float(row["nginx_cpu_s"])
        self.other = float(row["other_cpu_s"])
        self.rc = row["rc"]
        self.c = int(row["C"])
        self.scpu = float(row.get("server_cpu_s") or 0)
        self.hs = int(row.get("hs") or 0)
        self.hsr = int(row.get("hs_resumed") or 0)
        self.emfile = int(row.get("emfile") or 0)
        self.rps = self.ok / self.wall if self.wall > 0 else 0.0
        self.cpureq = self.cpu / self.ok * 1e6 if self.ok else None


def ok_cell(tool, runs, n):
    oks = [r.ok for r in runs]
    if tool == "wrk":
        cell = f"{int(med(oks))} in {med([r.wall for r in runs]):.0f} s"
    elif min(oks) == max(oks):
        cell = f"{oks[0]}/{n}"
    else:
        cell = f"{min(oks)}..{max(oks)}/{n}"
    rcs = sorted({r.rc for r in runs} - {"0"})
    if rcs:
        cell += f" (exit {','.join(rcs)})"
    return cell


def span(xs):
    """" [min-max] of a list of ratios with more than one, else ""."""
    return f" [{min(xs):.2f}-{max(xs):.2f}]" if len(xs) > 1 else ""


def paired(subj, runs, attr):
    by_run = {r.run: getattr(r, attr) for r in subj}
    out = []
    for r in runs:
        a, b = by_run.get(r.run), getattr(r, attr)
        if a is not None and b:
            out.append(a / b)
    return out


def target_verdicts(subj, tools, targets=None):
    """The TARGETS ratios of the runs "subj" against the peers present."""
    out = []
    for peer, what, want, op in (targets or TARGETS) if subj else ():
        if peer not in tools:
            continue
        a = paired(subj, tools[peer], "rps" if what == "req/s" else "cpureq")
        if not a:
            continue
        got = med(a)
        met = got >= want if op == ">=" else got <= want
        out.append(f"{what} vs {peer} {got:.2f}x{span(a)} (target {op} {want}: "
                   f"{'met' if met else 'NOT met'})")
    return out


def peer_table(set_name, key, tools):
    body, c, n = key
    subj_name = SUBJECT.get(set_name, "volley")
    subj = tools.get(subj_name, [])
    proto = "HTTPS, TLS server block" if set_name == "h2" else "HTTP/1.1"
    if set_name == "hosts":
        proto = "HTTP/1.1, 4 URLs to each host, shuffled"
    print(f"\n#### {set_name}: {body} body, C={c}, N={n} ({proto})\n")
    sl = LABEL.get(subj_name, subj_name)
    print(f"| tool | runs | req/s | wall s | CPU s | CPU µs/req | peak RSS MB | conns "
          f"| ok/N | nginx cores | other cores | {sl} ÷ this, req/s "
          f"| {sl} ÷ this, CPU/req |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    ratios = {}
    for tool, runs in tools.items():
        rps = [r.rps for r in runs]
        cpureq = [r.cpureq for r in runs if r.cpureq is not None]
        if tool == subj_name or not subj:
            rr = rc = "-"
        else:
            a, b = paired(subj, runs, "rps"), paired(subj, runs, "cpureq")
            ratios[tool] = (med(a) if a else None, med(b) if b else None)
            rr = f"{med(a):.2f}" if a else "-"
            rc = f"{med(b):.2f}" if b else "-"
        print(f"| {LABEL.get(tool, tool)} | {len(runs)} | {fmt(rps, 0)} "
              f"| {fmt([r.wall for r in runs], 2)} | {fmt([r.cpu for r in runs], 2)} "
              f"| {fmt(cpureq, 1)} | {fmt([r.rss for r in runs], 1)} "
              f"| {int(med([r.conns for r in runs]))} | {ok_cell(tool, runs, n)} "
              f"| {med([r.ncpu / r.wall for r in runs]):.2f} "
              f"| {med([r.other / r.wall for r in runs]):.2f} | {rr} | {rc} |")
    if set_name == "h2":
        parts = []
        for t, rs in tools.items():
            k = int(med([r.conns for r in rs]))
            parts.append(f"{LABEL.get(t, t)} used {k} connection{'' if k == 1 else 's'}")
        print(f"\nConnections for {n} requests at C={c}: " + "; ".join(parts) + ".")
        return
    if not subj:
        return
    if set_name == "hosts":
        verdicts = target_verdicts(subj, tools, HOST_TARGETS)
        rss = med([r.rss for r in subj])
        print(f"\nvolley's targets here: " + "; ".join(verdicts)
              + f". Peak RSS {rss:.1f} MB ({int(med([r.conns for r in subj]))} "
              f"connections for {n} requests).")
        return
    for name, label in (("volley", "volley's targets here"),
                        ("volley-nc", LABEL["volley-nc"]),
                        ("volley-x2", LABEL["volley-x2"])):
        verdicts = target_verdicts(tools.get(name), tools)
        if verdicts:
            print(f"\n{label}: " + "; ".join(verdicts) + ".")
    if "floor" in tools:
        parts = []
        if "curl-parallel" in tools:
            f = paired(tools["floor"], tools["curl-parallel"], "cpureq")
            if f:
                parts.append(f"spends {med(f):.2f}x{span(f)} curl --parallel's CPU "
                             "per request")
        v = paired(subj, tools["floor"], "cpureq")
        if v:
            parts.append(f"volley spends {med(v):.2f}x{span(v)} the floor's (issue 14 "
                         f"target <= 1.15: {'met' if med(v) <= 1.15 else 'NOT met'})")
        if parts:
            print("\nlibcurl's floor (floor.c: the same transfers with no records, "
                  "no retries, no admission): " + "; ".join(parts) + ".")


def scale_table(runs_by_n):
    print("\n#### scale: volley, 1k body, memory and throughput against N\n")
    print("| N | runs | req/s | wall s | CPU µs/req | peak RSS MB | RSS ÷ RSS at N=20000 | ok/N |")
    print("|---|---|---|---|---|---|---|---|")
    base = runs_by_n.get(20000)
    base_rss = med([r.rss for r in base]) if base else None
    for n in sorted(runs_by_n):
        runs = runs_by_n[n]
        rss = med([r.rss for r in runs])
        rel = f"{rss / base_rss:.2f}" if base_rss else "-"
        print(f"| {n} | {len(runs)} | {fmt([r.rps for r in runs], 0)} "
              f"| {fmt([r.wall for r in runs], 2)} "
              f"| {fmt([r.cpureq for r in runs if r.cpureq is not None], 1)} "
              f"| {fmt([r.rss for r in runs], 1)} | {rel} | {ok_cell('volley', runs, n)} |")
    top = max(runs_by_n)
    if base_rss and top > 20000:
        rss = med([r.rss for r in runs_by_n[top]])
        flat = rss <= 1.1 * base_rss
        small = rss < 32
        print(f"\nvolley's targets here: RSS at N={top} is {rss / base_rss:.2f}x N=20000 "
              f"(target <= 1.1: {'met' if flat else 'NOT met'}); {rss:.1f} MB "
              f"(target < 32 MB: {'met' if small else 'NOT met'}).")


def tls_table(key, tools, delay, per):
    n = max(r.n for runs in tools.values() for r in runs)
    lo, hi = delay
    mean_s = (lo + hi) / 2 / 1000
    print(f"\n#### tls: {n} URLs over {n // per} names, {per} each, shuffled; "
          f"a delay of {lo}-{hi} ms per request; HTTPS (HTTP/1.1)\n")
    print("| tool | N | C | runs | req/s | wall s | latency bound s | wall ÷ bound "
          "| CPU s | CPU ms/req | peak RSS MB | conns | TLS handshakes | resumed "
          "| nginx cores | delayd cores | ok/N | volley ÷ this, req/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    subj = tools.get("volley", [])
    for tool, runs in tools.items():
        rn, rc = runs[0].n, runs[0].c
        bound = rn * mean_s / rc
        walls = [r.wall for r in runs]
        rr = "-"
        if tool != "volley" and subj:
            a = paired(subj, runs, "rps")
            rr = f"{med(a):.2f}" if a else "-"
        cpureq = [r.cpu / r.ok * 1e3 for r in runs if r.ok]
        print(f"| {LABEL.get(tool, tool)} | {rn} | {rc} | {len(runs)} "
              f"| {fmt([r.rps for r in runs], 0)} | {fmt(walls, 2)} | {bound:.2f} "
              f"| {fmt([w / bound for w in walls], 2)} | {fmt([r.cpu for r in runs], 2)} "
              f"| {fmt(cpureq, 2)} | {fmt([r.rss for r in runs], 1)} "
              f"| {int(med([r.conns for r in runs]))} | {int(med([r.hs for r in runs]))} "
              f"| {int(med([r.hsr for r in runs]))} "
              f"| {med([r.ncpu / r.wall for r in runs]):.2f} "
              f"| {med([r.scpu / r.wall for r in runs]):.2f} "
              f"| {ok_cell(tool, runs, rn)} | {rr} |")
    if not subj:
        return
    n0 = subj[0].n
    bound = n0 * mean_s / subj[0].c
    walls = [r.wall / bound for r in subj]
    ratio = med(walls)
    out = [f"wall {ratio:.2f}x{span(walls)} the latency bound {bound:.2f} s (target <= 1.25: "
           f"{'met' if ratio <= 1.25 else 'NOT met'})"]
    for tool, runs in tools.items():
        if tool == "volley":
            continue
        a = paired(subj, runs, "rps")
        if not a:
            continue
        want = 10.0 if tool == "curl-parallel" else 1.0
        got = med(a)
        out.append(f"req/s vs {tool} {got:.2f}x{span(a)} (target >= {want:g}: "
                   f"{'met' if got >= want else 'NOT met'})")
    # resumed: of the handshakes after each name's first
    again = [r.hs - n0 // per for r in subj]
    frac = [r.hsr / a for r, a in zip(subj, again) if a > 0]
    if frac:
        out.append(f"{med(frac) * 100:.0f}% of the handshakes after a name's first "
                   f"resumed a session")
    rss = med([r.rss for r in subj])
    out.append(f"peak RSS {rss:.0f} MB (target < 300: {'met' if rss < 300 else 'NOT met'})")
    em = max(r.emfile for r in subj)
    out.append(f"'too many open files' {em} times (target 0: "
               f"{'met' if em == 0 else 'NOT met'})")
    print("\nvolley's targets here: " + "; ".join(out) + ".")
    print(f"\nRows with N under {n} are a subset: the first N/{per} names, all "
          "their URLs (fewer names, so more reuse). Their rate is set against "
          "volley's on the whole list.")


def crawl_table(site, tools):
    print(f"\n#### crawl: {site}, whole site from /index.html (gzip)\n")
    print("| tool | runs | pages ok | wall s | CPU s | peak RSS MB | conns | nginx cores "
          "| speed vs wget2 (its wall ÷ this) | RSS ÷ wget2's |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ref = tools.get("wget2-mirror", [])
    ref_rss = med([r.rss for r in ref]) if ref else None
    for tool, runs in tools.items():
        sp = "-"
        if ref and tool != "wget2-mirror":
            by = {r.run: r.wall for r in ref}
            a = [by[r.run] / r.wall for r in runs if r.run in by and r.wall > 0]
            sp = f"{med(a):.2f}" if a else "-"
        rel = f"{med([r.rss for r in runs]) / ref_rss:.2f}" if ref_rss else "-"
        oks = [r.ok for r in runs]
        okc = f"{min(oks)}" if min(oks) == max(oks) else f"{min(oks)}..{max(oks)}"
        print(f"| {LABEL.get(tool, tool)} | {len(runs)} | {okc} "
              f"| {fmt([r.wall for r in runs], 2)} | {fmt([r.cpu for r in runs], 2)} "
              f"| {fmt([r.rss for r in runs], 1)} | {int(med([r.conns for r in runs]))} "
              f"| {med([r.ncpu / r.wall for r in runs]):.2f} | {sp} | {rel} |")
    if not ref:
        return
    out = []
    for tool, want in (("volley-crawl", 1.0), ("volley-save", 1.0)):
        runs = tools.get(tool)
        if not runs:
            continue
        by = {r.run: r.wall for r in ref}
        a = [by[r.run] / r.wall for r in runs if r.run in by and r.wall > 0]
        rss = med([r.rss for r in runs]) / ref_rss
        by_rss = {r.run: r.rss for r in ref}
        b = [r.rss / by_rss[r.run] for r in runs if r.run in by_rss]
        if a:
            out.append(f"{LABEL[tool]} {med(a):.2f}x{span(a)} wget2's speed (target >= {want:g}"
                       f"{', aim 1.5' if tool == 'volley-crawl' else ''}: "
                       f"{'met' if med(a) >= want else 'NOT met'}), RSS {rss:.2f}x{span(b)} "
                       f"(target <= 1.5: {'met' if rss <= 1.5 else 'NOT met'})")
    print("\nvolley's targets here: " + "; ".join(out) + ".")


def main(path, delay=(50, 200), per=10):
    sets = OrderedDict()
    with open(path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            key = (row["body"], int(row["C"]), int(row["N"]))
            tools = sets.setdefault(row["set"], OrderedDict())
            if row["set"] == "scale":
                key = (row["body"], int(row["C"]), 0)
            if row["set"] in ("tls", "crawl"):
                # rows differ in N (subsets) or C: one table a body
                key = (row["body"], 0, 0)
            tools.setdefault(key, OrderedDict()).setdefault(row["tool"], []).append(Run(row))
    for set_name, groups in sets.items():
        if set_name == "tls":
            for key, tools in groups.items():
                tls_table(key, tools, delay, per)
            continue
        if set_name == "crawl":
            for (site, _, _), tools in groups.items():
                crawl_table(site, tools)
            continue
        if set_name == "scale":
            by_n = {}
            for runs in groups.values():
                for r in runs.get("volley", []):
                    by_n.setdefault(r.n, []).append(r)
            # the main set's volley row is the N=20000 point when it matches
            if 20000 not in by_n:
                for (body, c, n), tools in sets.get("main", {}).items():
                    if body == "1k" and n == 20000 and "volley" in tools:
                        by_n[20000] = tools["volley"]
            scale_table(by_n)
            continue
        for key, tools in groups.items():
            peer_table(set_name, key, tools)


if __name__ == "__main__":
    args = sys.argv[1:]
    d, k = (50, 200), 10
    if "--tls-delay" in args:
        lo, hi = args[args.index("--tls-delay") + 1].split("-")
        d = (int(lo), int(hi))
    if "--tls-per" in args:
        k = int(args[args.index("--tls-per") + 1])
    main(args[0], d, k)
