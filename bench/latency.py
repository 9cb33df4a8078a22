#!/usr/bin/env python3
"""Edit-to-served latency of a development server (used by bench/run.sh for `hugo server`).

Starts SERVER_CMD in --root, waits until --url answers, then --edits times: waits until the
server is idle (no CPU used for --settle seconds), rewrites the body of --article with a
fresh marker word, and polls --url until the served page contains it. The time from the
write to the first response that shows the marker is one sample.
Prints one JSON object: {"samples_ms": [...], "median_ms": m, "max_ms": x}.

This is the same method as bench/serve_latency.py (binder serve): one article body edited
in place, its own URL polled over one keep-alive HTTP connection without pause, median of N
edits, --settle seconds between edits.  The server's own output is discarded.

Usage:
    latency.py --root DIR --article content/tips/x.md --url http://127.0.0.1:P/tips/x/ \
               [--edits 10] [--timeout 60] -- SERVER_CMD...
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse

MARKER_PREFIX = "benchedit"


class Client:
    """A keep-alive HTTP client, as in serve_latency.py (one connection, little overhead)."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = u.hostname, u.port, u.path or "/"
        self.conn = None

    def get(self):
        """(status, body) of the URL, or (None, b"") while the server is not answering."""
        for _ in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                self.conn.request("GET", self.path)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        return None, b""


def wait_until(predicate, timeout, pause=0.0):
    """Polls predicate() until it returns true; returns the time it did, or None on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        if pause:
            time.sleep(pause)
    return None


def cpu_ticks(pid):
    """User + system CPU time of process `pid` (all its threads), in clock ticks."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_idle(pid, quiet, timeout):
    """Waits until the server has used (almost) no CPU for `quiet` seconds: the previous
    rebuild, including any work it finishes after serving the edited page, is over. Without
    this a slow rebuild still running delays the next edit and is counted twice."""
    deadline = time.monotonic() + timeout
    last = cpu_ticks(pid)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = cpu_ticks(pid)
        if now - last <= 2:  # a timer or a GC tick, not a rebuild
            return
        last = now


def with_marker(original, marker):
    """The article text with one extra body paragraph holding `marker` (front matter intact)."""
    return original.rstrip("\n") + f"\n\nEdited paragraph {marker}.\n"


def measure(args, server):
    path = os.path.join(args.root, args.article)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    client = Client(args.url)
    if wait_until(lambda: client.get()[0] == 200, args.timeout, pause=0.05) is None:
        raise SystemExit(f"latency.py: {args.url} did not answer within {args.timeout}s")
    samples = []
    try:
        for i in range(args.edits):
            marker = f"{MARKER_PREFIX}{os.getpid()}x{i}"
            time.sleep(args.settle)  # let the watcher go idle: each edit is a separate save
            wait_idle(server.pid, args.settle, args.timeout)
            start = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(with_marker(original, marker))
            seen = wait_until(lambda: marker.encode() in client.get()[1], args.timeout, pause=args.pause)
            if seen is None:
                raise SystemExit(f"latency.py: edit {i} never appeared at {args.url}")
            samples.append((seen - start) * 1000.0)
            if server.poll() is not None:
                raise SystemExit("latency.py: the server exited")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    return samples


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", required=True, help="site root the server runs in")
    p.add_argument("--article", required=True, help="article to edit, relative to --root")
    p.add_argument("--url", required=True, help="URL of that article on the server")
    p.add_argument("--edits", type=int, default=10)
    p.add_argument("--settle", type=float, default=0.5, help="seconds between edits")
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument("--pause", type=float, default=0.0, help="seconds between polls (0: none)")
    p.add_argument("cmd", nargs=argparse.REMAINDER, help="-- then the server command")
    args = p.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        p.error("give the server command after --")
    server = subprocess.Popen(cmd, cwd=args.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        samples = measure(args, server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    json.dump({"samples_ms": [round(s, 1) for s in samples], "median_ms": round(statistics.median(samples), 1),
               "max_ms": round(max(samples), 1)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
