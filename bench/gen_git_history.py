#!/usr/bin/env python3
"""Turns a site folder into a git repository with a long history, for the git case of
bench/run.sh: one commit adding every file under content/, then --commits commits by
--authors authors, each changing 1-5 random articles (a line appended). The files on disk end
as the last commit has them. The history is written with `git fast-import` (seconds for
thousands of commits), then repacked with `git repack -adf` as `git gc --aggressive` or a
clone from a server would leave it: fast-import's own pack stores each folder's oldest
version whole and newer ones as deltas of older ones, 50 deep, the layout git's manual calls
suboptimal and that makes reading newest first quadratic in the chain length (`--pack
fast-import` keeps it, the worst case). Usage: gen_git_history.py SITE [--commits 2000]
[--authors 25] [--pack repack|fast-import]"""

import argparse
import os
import random
import subprocess


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--authors", type=int, default=25)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--pack", choices=["repack", "fast-import"], default="repack")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    site = os.path.abspath(args.site)
    files = {}
    for d, _, names in os.walk(os.path.join(site, "content")):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                files[os.path.relpath(p, site)] = f.read()
    paths = sorted(files)
    articles = [p for p in paths if p.endswith(".md") and not p.endswith("_index.md")]
    subprocess.run(["git", "init", "-q", "-b", "main", site], check=True)
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=site, stdin=subprocess.PIPE)
    out = fi.stdin

    def data(b):
        out.write(b"data %d\n" % len(b))
        out.write(b)
        out.write(b"\n")

    t = 1_600_000_000
    mark = 0

    def commit(author, changes, message):
        nonlocal t, mark
        t += rnd.randint(60, 86_400)
        mark += 1
        who = b"%s <%s@example.org> %d +0000" % (author.encode(), author.lower().encode(), t)
        out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
        out.write(b"author " + who + b"\ncommitter " + who + b"\n")
        data(message.encode())
        if mark > 1:
            out.write(b"from :%d\n" % (mark - 1))
        for p in changes:
            out.write(b"M 100644 inline %s\n" % p.encode())
            data(files[p])

    authors = ["Author%02d" % i for i in range(args.authors)]
    commit(authors[0], paths, "import the handbook")
    for i in range(args.commits - 1):
        changed = rnd.sample(articles, rnd.randint(1, 5))
        for p in changed:
            files[p] += b"\nRevision %d.\n" % i
        commit(rnd.choice(authors), changed, "edit %d" % i)
    out.close()
    if fi.wait() != 0:
        raise SystemExit("git fast-import failed")
    for p, b in files.items():
        with open(os.path.join(site, p), "wb") as f:
            f.write(b)
    subprocess.run(["git", "reset", "-q"], cwd=site, check=True)
    if args.pack == "repack":
        subprocess.run(["git", "repack", "-adfq"], cwd=site, check=True)


if __name__ == "__main__":
    main()
