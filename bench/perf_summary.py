#!/usr/bin/env python3
"""Summarises a `perf script -F tid,ip,sym` dump of a sampled binder build.

Prints two tables: the functions whose names match --match, by *inclusive* share of samples
(the sample's stack contains the function, counted once per sample), and the leaf functions
by *self* share. Enough to see which stage and which call inside it the time goes to,
without a flame-graph tool. Standard library only.

Usage:
    perf record -F 499 -e cpu-clock --call-graph dwarf,16384 -o perf.data binder build ...
    perf script -i perf.data -F tid,ip,sym > perf.txt
    perf_summary.py perf.txt [--match 'binder::'] [--top 40]
"""

import argparse
import collections
import re


def samples(lines):
    """Yields each sample as a list of symbol names, leaf first."""
    frames = []
    for line in lines:
        if not line.strip():
            if frames:
                yield frames
            frames = []
            continue
        if not line[0].isspace():  # the "tid" header line of a sample
            if frames:
                yield frames
            frames = []
            continue
        parts = line.strip().split(None, 1)
        frames.append(parts[1] if len(parts) == 2 else "[unknown]")
    if frames:
        yield frames


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dump")
    p.add_argument("--match", default=r"binder::", help="regex selecting functions for the inclusive table")
    p.add_argument("--top", type=int, default=40)
    args = p.parse_args()
    wanted = re.compile(args.match)
    inclusive = collections.Counter()
    leaf = collections.Counter()
    total = 0
    with open(args.dump, encoding="utf-8", errors="replace") as f:
        for stack in samples(f):
            total += 1
            leaf[stack[0]] += 1
            inclusive.update({name for name in stack if wanted.search(name)})
    if not total:
        raise SystemExit("perf_summary.py: no samples")
    print(f"{total} samples\n\ninclusive (functions matching {args.match!r})")
    for name, n in inclusive.most_common(args.top):
        print(f"{100.0 * n / total:6.1f}%  {name[:150]}")
    print("\nself (leaf functions)")
    for name, n in leaf.most_common(args.top):
        print(f"{100.0 * n / total:6.1f}%  {name[:150]}")


if __name__ == "__main__":
    main()
