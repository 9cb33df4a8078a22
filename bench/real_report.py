#!/usr/bin/env python3
"""Realistic-corpus results → a Markdown table: binder ÷ Hugo wall time and resolve's share.

Usage: real_report.py RESULTS_DIR SIZE...

Reads, per size, what bench/run.sh wrote: `real-SIZE.json` (hyperfine), `real-SIZE-MODE.failed`
(a binder build that failed and was not timed) and `real-timings-SIZE-MODE.txt` (binder's
`--timings` lines plus `wall_ms` of that build). Targets (issue 13): binder ≥ 4× faster than
Hugo, `resolve` < 10% of the build.
"""

import json
import os
import re
import statistics
import sys

MODES = ["foreign", "binder"]


def stage_ms(path):
    """{stage: ms} and the wall time of the --timings build."""
    stages, wall = {}, None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = re.match(r"\s+(\S+)\s+([\d.]+) ms$", line)
            if m:
                stages[m.group(1)] = float(m.group(2))
            elif line.startswith("wall_ms "):
                wall = float(line.split()[1])
    return stages, wall


def main():
    results, sizes = sys.argv[1], sys.argv[2:]
    print("## Realistic corpus (gen_real_corpus.py): Hugo vs binder, bench theme\n")
    print("| articles | build | median wall | mean CPU | binder ÷ Hugo (wall) | Hugo ÷ binder (wall, CPU) "
          "| resolve | resolve share |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    verdicts = []
    for n in sizes:
        path = os.path.join(results, f"real-{n}.json")
        if not os.path.exists(path):
            print(f"| {n} | (no results) | | | | | | |")
            continue
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)["results"]
        runs = {r["command"]: statistics.median(r["times"]) for r in data}
        cpu = {r["command"]: r["user"] + r["system"]  # hyperfine gives means
               for r in data}
        hugo, hugo_cpu = runs.get("Hugo"), cpu.get("Hugo")
        print(f"| {n} | Hugo | {hugo:.2f} s | {hugo_cpu:.2f} s | 1.00 | 1.0×, 1.0× | | |")
        for mode in MODES:
            name = f"binder ({mode} front matter)"
            if os.path.exists(os.path.join(results, f"real-{n}-{mode}.failed")):
                print(f"| {n} | {name} | build fails (see real-{n}-{mode}.log) | | | | | |")
                continue
            wall = runs.get(name)
            if wall is None or hugo is None:
                continue
            stages, timed_wall = stage_ms(os.path.join(results, f"real-timings-{n}-{mode}.txt"))
            resolve = stages.get("resolve", 0.0)
            share = resolve / timed_wall if timed_wall else float("nan")
            print(f"| {n} | {name} | {wall:.2f} s | {cpu[name]:.2f} s | {wall / hugo:.2f} "
                  f"| {hugo / wall:.1f}×, {hugo_cpu / cpu[name]:.1f}× | {resolve:.0f} ms | {share:.1%} |")
            verdicts.append(f"- {n} articles, {mode} front matter: {hugo / wall:.1f}× faster than Hugo "
                            f"({'meets' if hugo / wall >= 4 else 'misses'} ≥ 4×), resolve {share:.1%} "
                            f"of the build ({'meets' if share < 0.10 else 'misses'} < 10%)")
    print()
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
