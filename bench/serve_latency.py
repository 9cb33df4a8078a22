#!/usr/bin/env python3
"""Edit-to-served latency of `binder serve` (the same method as bench/latency.py for Hugo).

Starts `BINDER --root ROOT serve --port 0`, reads the URL it prints, then --edits times:
rewrites the body of --article with a fresh marker word (one plain write, as an editor
saving in place does; `--kind title` puts it in the title instead, which changes every page
that lists the article) and polls the article's URL until the served page contains it. The
time from the write to the first response showing the marker is one sample. Between edits it
waits --settle seconds, so each edit is a separate save (binder renders the whole-site extras,
such as feeds and the search index, on a thread of their own after serving the page; they
may still be running when the next edit lands, as they would for an author).

It also reads /__binder/status after each edit: the server's own time from the start of the
rebuild until the pages were served, per stage. With --verify, once the edits are done (the
last one still in place) it builds the site with `binder build` into a temp folder, with
base_url pointing at the server, and checks that every served file is byte-identical to the
build (after removing the injected live-reload script): the incremental rebuilds left no
dependent page stale.

Prints a summary, or with --json one object:
  {"articles": n, "kind": "body", "samples_ms": [...], "median_ms": m, "max_ms": x,
   "server_ms": [...], "server_median_ms": s, "stages_median_ms": {...}, "verified": bool|null}

Usage:
    serve_latency.py --binder target/release/binder --root DIR --article content/tips/x.md \
                     [--edits 10] [--settle 0.5] [--kind body|title] [--verify] [--json]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SCRIPT = re.compile(rb'<script src="/__binder/reload\.js"[^>]*></script>')


class Client:
    """A keep-alive HTTP client (polling through one connection keeps the overhead small)."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def get(self, path):
        for _ in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        return None, b""


def start_server(binder, root, timeout):
    """Starts binder serve; returns (process, base URL, log lines)."""
    proc = subprocess.Popen([binder, "--root", root, "serve", "--port", "0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "NO_COLOR": "1"})
    log, found = [], threading.Event()
    url = []

    def read():
        for line in proc.stderr:
            log.append(line)
            if line.startswith("serving the site at ") and not found.is_set():
                url.append(line.split()[4].rstrip("/"))
                found.set()

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(timeout):
        stop(proc)
        raise SystemExit("serve_latency.py: binder serve did not start:\n" + "".join(log))
    return proc, url[0], log


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def article_path(article):
    """content/tips/x.md → /tips/x/ (the corpus never sets `slug:`)."""
    rel = article[len("content/"):] if article.startswith("content/") else article
    return "/" + rel[:-3] + "/"


def with_marker(original, marker, kind):
    """The article with `marker` in a new last paragraph (kind "body": what authors do most,
    the fast path) or at the end of its title (kind "title": every page listing it changes,
    the whole-site stages run again)."""
    if kind == "title":
        return re.sub(r'^title: "?(.*?)"?$', lambda m: f'title: "{m.group(1)} {marker}"', original, count=1, flags=re.M)
    return original.rstrip("\n") + f"\n\nEdited paragraph {marker}.\n"


def status(client):
    code, body = client.get("/__binder/status")
    return json.loads(body) if code == 200 else {}


def measure(args, client, path):
    file = os.path.join(args.root, args.article)
    with open(file, encoding="utf-8") as f:
        original = f.read()
    samples, server_ms, stages = [], [], []
    try:
        for i in range(args.edits):
            marker = f"servelatency{os.getpid()}x{i}"
            time.sleep(args.settle)
            builds = status(client).get("builds", 0)
            start = time.monotonic()
            with open(file, "w", encoding="utf-8") as f:
                f.write(with_marker(original, marker, args.kind))
            deadline = start + args.timeout
            while True:
                code, body = client.get(path)
                if code == 200 and marker.encode() in body:
                    samples.append((time.monotonic() - start) * 1000.0)
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"serve_latency.py: edit {i} never appeared at {path}")
            s = status(client)
            if s.get("builds", 0) == builds + 1 and s.get("ok"):
                server_ms.append(s["ms"])
                stages.append(dict(s.get("stages", [])))
        if args.verify:
            time.sleep(args.settle)
            verified = verify(args, client)
        else:
            verified = None
    finally:
        with open(file, "w", encoding="utf-8") as f:
            f.write(original)
    return samples, server_ms, stages, verified


def verify(args, client):
    """Every served file equals a fresh `binder build` (with base_url = the server)."""
    out = tempfile.mkdtemp(prefix="binder-verify-")
    try:
        site_out = os.path.join(out, "site")
        subprocess.run([args.binder, "--root", args.root, "build", "--output", site_out, "--base-url", args.url + "/"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bad = []
        for dirpath, _, names in os.walk(site_out):
            for name in names:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, site_out).replace(os.sep, "/")
                if rel == ".binder-output":
                    continue
                with open(full, "rb") as f:
                    built = f.read()
                code, served = client.get("/" + urllib.parse.quote(rel))
                if code != 200 or SCRIPT.sub(b"", served) != built:
                    bad.append(rel)
        if bad:
            print(f"serve_latency.py: {len(bad)} served files differ from a full build, e.g. {bad[:5]}", file=sys.stderr)
        return not bad
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binder", required=True, help="the binder executable (a release build)")
    p.add_argument("--root", required=True, help="site root (holds site.toml)")
    p.add_argument("--article", required=True, help="article to edit, relative to --root")
    p.add_argument("--edits", type=int, default=10)
    p.add_argument("--settle", type=float, default=0.5, help="seconds between edits")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one edit")
    p.add_argument("--start-timeout", type=float, default=600.0, help="seconds to wait for the first build")
    p.add_argument("--kind", choices=["body", "title"], default="body", help="what each edit changes")
    p.add_argument("--verify", action="store_true", help="compare every served file with a full build")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args()
    args.root = os.path.abspath(args.root)

    proc, args.url, log = start_server(args.binder, args.root, args.start_timeout)
    client = Client(args.url)
    try:
        samples, server_ms, stages, verified = measure(args, client, article_path(args.article))
        articles = status(client).get("pages")
    finally:
        stop(proc)
    stage_names = sorted({k for s in stages for k in s}, key=lambda k: next((i for s in stages for i, n in enumerate(s) if n == k), 0))
    stage_medians = {k: round(statistics.median([s.get(k, 0.0) for s in stages]), 2) for k in stage_names} if stages else {}
    result = {
        "articles": articles,
        "kind": args.kind,
        "samples_ms": [round(s, 1) for s in samples],
        "median_ms": round(statistics.median(samples), 1),
        "max_ms": round(max(samples), 1),
        "server_ms": [round(s, 2) for s in server_ms],
        "server_median_ms": round(statistics.median(server_ms), 2) if server_ms else None,
        "stages_median_ms": stage_medians,
        "verified": verified,
    }
    if args.json:
        json.dump(result, sys.stdout)
        print()
        return
    print(f"binder serve, {articles} articles, editing the {args.kind} of {args.article} ({args.edits} edits)")
    print(f"  edit-to-served: median {result['median_ms']} ms, max {result['max_ms']} ms  {result['samples_ms']}")
    if server_ms:
        print(f"  rebuild until served (server side): median {result['server_median_ms']} ms")
        print("  stages (median ms): " + ", ".join(f"{k} {v}" for k, v in stage_medians.items()))
    if verified is not None:
        print("  served files equal a full build: " + ("yes" if verified else "NO"))


if __name__ == "__main__":
    main()
