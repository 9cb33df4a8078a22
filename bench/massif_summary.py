#!/usr/bin/env python3
"""Who holds the heap at its peak: a valgrind massif output, summarised by binder function.

Reads the peak snapshot of a `valgrind --tool=massif` output file and attributes every
allocation to the innermost frame naming a function that matches --match (by default
binder's own), so the table says which of binder's functions allocated what is alive at the
peak. Standard library only (ms_print's tree is too deep to read at 10,000 articles).

Usage:
    valgrind --tool=massif --depth=40 --massif-out-file=massif.out binder build ...
    massif_summary.py massif.out [--match 'binder::'] [--top 25]
"""

import argparse
import collections
import re

NODE = re.compile(r"^( *)n(\d+): (\d+) (.*)$")


def peak_tree(lines):
    """The lines of the peak snapshot's heap tree."""
    snapshot, in_peak, tree = [], False, []
    for line in lines:
        if line.startswith("snapshot="):
            if in_peak:
                break
            snapshot = []
        snapshot.append(line)
        if line.startswith("heap_tree=peak"):
            in_peak = True
        elif in_peak and NODE.match(line):
            tree.append(line)
    return tree


def attribute(tree, wanted):
    """{function: bytes} over the leaves of the tree, and the total."""
    totals = collections.Counter()
    stack = []  # (depth, description) of the path to the current node
    root_bytes = None
    for line in tree:
        m = NODE.match(line)
        depth, children, size, desc = len(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
        if root_bytes is None:
            root_bytes = size
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, desc))
        if children == 0 and size:
            owner = next((name for _, d in reversed(stack) for name in [function(d)] if name and wanted.search(name)), None)
            totals[owner or "(outside the matched functions)"] += size
    return totals, root_bytes or 0


def function(desc):
    """`binder::load::read_source (load.rs:189)` from a massif frame description."""
    m = re.search(r": (.*)$", desc)
    return m.group(1).strip() if m else None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("massif_out")
    p.add_argument("--match", default=r"^binder::", help="regex selecting the functions to attribute to")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    with open(args.massif_out, encoding="utf-8", errors="replace") as f:
        tree = peak_tree(f)
    totals, total = attribute(tree, re.compile(args.match))
    print(f"heap at peak: {total / 1e6:.1f} MB")
    for name, size in totals.most_common(args.top):
        print(f"{size / 1e6:8.1f} MB  {100.0 * size / max(total, 1):5.1f}%  {name[:140]}")


if __name__ == "__main__":
    main()
