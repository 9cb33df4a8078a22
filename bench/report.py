#!/usr/bin/env python3
"""Turns the files bench/run.sh leaves in its results folder into a Markdown report.

Input (RESULTS/): meta.txt; ram-N-R.json (one per round) and disk-N.json (hyperfine
--export-json);
time-N-TOOL.txt (/usr/bin/time -v); size-N-TOOL.txt ("bytes B" / "files F");
timings-N-TOOL.txt (binder build --timings); latency-N-{hugo,binder}.json.
Output (stdout): the tables of bench/README.md, ratios binder / Hugo, the 10k / 1k scaling
and a PASS/FAIL line per target of issue 7. Standard library only.

Usage: report.py RESULTS
"""

import json
import os
import re
import statistics
import sys

TOOLS = [("hugo", "Hugo"), ("bench", "binder (bench theme)"), ("default", "binder (default theme)")]


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def hyperfine(results, kind, n):
    """{label: {"median", "user", "system", "runs"}} over the hyperfine exports of `kind` at
    size n: one file (disk-N.json) or one per interleaved round (ram-N-R.json)."""
    names = sorted(f for f in os.listdir(results) if re.fullmatch(rf"{kind}-{n}(-\d+)?\.json", f))
    times, user, system = {}, {}, {}
    for name in names:
        for r in json.loads(read(os.path.join(results, name)))["results"]:
            label = r["command"]
            times.setdefault(label, []).extend(r["times"])
            user.setdefault(label, []).append(r["user"])
            system.setdefault(label, []).append(r["system"])
    return {label: {"median": statistics.median(t), "user": statistics.median(user[label]),
                    "system": statistics.median(system[label]), "runs": len(t)} for label, t in times.items()}


def round_ratios(results, n):
    """{label: median over the interleaved rounds of (this build's time ÷ Hugo's time in the
    same round)}: less sensitive to load that drifts between rounds than a ratio of medians."""
    names = sorted(f for f in os.listdir(results) if re.fullmatch(rf"ram-{n}-\d+\.json", f))
    ratios = {}
    for name in names:
        rows = {r["command"]: r["times"][0] for r in json.loads(read(os.path.join(results, name)))["results"]}
        hugo = rows.get("Hugo")
        for label, t in rows.items():
            if hugo:
                ratios.setdefault(label, []).append(t / hugo)
    return {label: statistics.median(v) for label, v in ratios.items()}


def time_v(results, n, tool):
    """(peak RSS in MB, user+sys seconds) from /usr/bin/time -v, or (None, None)."""
    text = read(os.path.join(results, f"time-{n}-{tool}.txt")) or ""
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    cpu = float(user.group(1)) + float(system.group(1)) if user and system else None
    return (int(rss.group(1)) / 1024 if rss else None, cpu)


def size(results, n, tool):
    text = read(os.path.join(results, f"size-{n}-{tool}.txt")) or ""
    fields = dict(line.split() for line in text.splitlines() if line.strip())
    return (int(fields["bytes"]) / 1e6, int(fields["files"])) if "bytes" in fields else (None, None)


def fmt(x, digits=2, suffix=""):
    return "n/a" if x is None else f"{x:.{digits}f}{suffix}"


def ratio(a, b):
    return a / b if a is not None and b else None


def sizes_of(meta):
    return [int(s) for s in meta.get("sizes", "").split()]


def measure(results, n):
    """Per tool: wall median, CPU, RSS, output size, on-disk wall."""
    ram, disk = hyperfine(results, "ram", n), hyperfine(results, "disk", n)
    per_round = round_ratios(results, n)
    rows = {}
    for tool, label in TOOLS:
        r = ram.get(label)
        rss, cpu_once = time_v(results, n, tool)
        mb, files = size(results, n, tool)
        d = disk.get(label)
        rows[tool] = {
            "wall": r["median"] if r else None,
            "cpu": (r["user"] + r["system"]) if r else cpu_once,
            "rss": rss,
            "mb": mb,
            "files": files,
            "disk": d["median"] if d else None,
            "round_ratio": per_round.get(label),
        }
    return rows


def table(n, rows):
    hugo = rows["hugo"]
    out = [f"### {n:,} articles", "",
           "| build | median wall (s) | CPU user+sys (s) | peak RSS (MB) | output (MB / files) | on disk (s) | wall ÷ Hugo | per-round wall ÷ Hugo | CPU ÷ Hugo | RSS ÷ Hugo |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for tool, label in TOOLS:
        r = rows[tool]
        out.append(
            f"| {label} | {fmt(r['wall'], 3)} | {fmt(r['cpu'])} | {fmt(r['rss'], 0)} | "
            f"{fmt(r['mb'], 1)} / {r['files'] if r['files'] is not None else 'n/a'} | {fmt(r['disk'], 2)} | "
            f"{fmt(ratio(r['wall'], hugo['wall']), 3)} | {fmt(r['round_ratio'], 3)} | {fmt(ratio(r['cpu'], hugo['cpu']), 3)} | "
            f"{fmt(ratio(r['rss'], hugo['rss']), 3)} |")
    return out


def json_or_empty(path):
    try:
        return json.loads(read(path) or "{}")
    except json.JSONDecodeError:
        return {}


def latency(results, n, who):
    text = read(os.path.join(results, f"latency-{n}-{who}.json"))
    if not text:
        return None, "not measured"
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None, "unreadable"
    if "median_ms" in data:
        return data["median_ms"], ""
    return None, data.get("error", "no median")


def targets(all_rows, results, sizes):
    """PASS/FAIL per target of issue 7 (item 2)."""
    lines = []

    def check(name, value, limit, passed):
        verdict = "n/a" if value is None else ("PASS" if passed(value) else "FAIL")
        lines.append(f"| {name} | {fmt(value, 3)} | {limit} | {verdict} |")

    big, small = max(sizes), min(sizes)
    rows = all_rows.get(big, {})
    if rows:
        hugo = rows["hugo"]
        check(f"bench theme, {big:,}: binder ÷ Hugo wall", ratio(rows["bench"]["wall"], hugo["wall"]), "≤ 0.25", lambda v: v <= 0.25)
        check(f"default theme, {big:,}: binder ÷ Hugo wall", ratio(rows["default"]["wall"], hugo["wall"]), "≤ 0.5", lambda v: v <= 0.5)
        for tool in ("bench", "default"):
            check(f"{tool} theme, {big:,}: peak RSS ÷ Hugo", ratio(rows[tool]["rss"], hugo["rss"]), "≤ 0.25", lambda v: v <= 0.25)
    if big != small and small in all_rows:
        for tool in ("bench", "default"):
            check(f"{tool} theme: wall {big:,} ÷ {small:,}", ratio(all_rows[big][tool]["wall"], all_rows[small][tool]["wall"]),
                  f"≤ {1.1 * big / small:.0f}", lambda v: v <= 1.1 * big / small)
    # Issue 10: a body edit ≤ 20 ms and a title edit ≤ 100 ms at 10,000 articles.
    for n, limit in ((1000, 20), (10000, 20)):
        if n in sizes:
            ms, _ = latency(results, n, "binder")
            check(f"binder serve body edit-to-served, {n:,} (ms)", ms, f"≤ {limit}", lambda v, limit=limit: v <= limit)
    if 10000 in sizes:
        ms, _ = latency(results, 10000, "binder-title")
        check("binder serve title edit-to-served, 10,000 (ms)", ms, "≤ 100", lambda v: v <= 100)
    return ["| target | measured | limit | verdict |", "|---|---:|---:|---|"] + lines


def round_times(results, n):
    """{round: {label: seconds}} from the interleaved rounds at size n."""
    out = {}
    for name in os.listdir(results):
        m = re.fullmatch(rf"ram-{n}-(\d+)\.json", name)
        if m:
            rows = json.loads(read(os.path.join(results, name)))["results"]
            out[int(m.group(1))] = {r["command"]: r["times"][0] for r in rows}
    return out


def scaling(results, all_rows, sizes):
    big, small = max(sizes), min(sizes)
    rounds_big, rounds_small = round_times(results, big), round_times(results, small)
    out = [f"| build | wall {big:,} ÷ {small:,} | per-round wall {big:,} ÷ {small:,} | CPU {big:,} ÷ {small:,} |",
           "|---|---:|---:|---:|"]
    for tool, label in TOOLS:
        a, b = all_rows[big][tool], all_rows[small][tool]
        per_round = [rounds_big[r][label] / rounds_small[r][label] for r in rounds_big
                     if r in rounds_small and label in rounds_big[r] and rounds_small[r].get(label)]
        out.append(f"| {label} | {fmt(ratio(a['wall'], b['wall']), 1)} | "
                   f"{fmt(statistics.median(per_round) if per_round else None, 1)} | {fmt(ratio(a['cpu'], b['cpu']), 1)} |")
    return out


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    results = sys.argv[1]
    meta = dict(line.split(" ", 1) for line in (read(os.path.join(results, "meta.txt")) or "").splitlines() if " " in line)
    sizes = sizes_of(meta)
    out = ["## binder vs Hugo", "",
           f"{meta.get('date', '?')}, binder {meta.get('commit', '?')}, Hugo {meta.get('hugo', '?')}, "
           f"{meta.get('cpus', '?')} × {meta.get('cpu', '?')}; load average before {meta.get('load', '?')}, "
           f"after {meta.get('load-after', '?')}. In RAM: median of {meta.get('runs', '?')} interleaved rounds "
           "(hyperfine, one warm-up round, output folder removed before each run); per-round ratio = median over "
           "the rounds of (build ÷ Hugo in the same round); CPU = median user+sys; "
           "RSS and size from one more run under /usr/bin/time -v; on disk: one run.", ""]
    all_rows = {}
    for n in sizes:
        all_rows[n] = measure(results, n)
        out += table(n, all_rows[n]) + [""]
    if len(sizes) > 1:
        out += ["### Scaling", ""] + scaling(results, all_rows, sizes) + [""]
    out += ["### Edit-to-served latency (median of the edits, ms)", "",
            "| articles | binder serve, body edit | of which server-side rebuild | title edit | of which server-side | served = full build | hugo server |",
            "|---:|---:|---:|---:|---:|---|---:|"]
    for n in sizes:
        b, b_note = latency(results, n, "binder")
        h, h_note = latency(results, n, "hugo")
        t, t_note = latency(results, n, "binder-title")
        extra = json_or_empty(os.path.join(results, f"latency-{n}-binder.json"))
        title = json_or_empty(os.path.join(results, f"latency-{n}-binder-title.json"))
        checks = [extra.get("verified"), title.get("verified")]
        verified = "NO" if False in checks else ("yes" if checks[0] and checks[1] else "not checked")
        out.append(f"| {n:,} | {fmt(b, 1) if b is not None else b_note} | {fmt(extra.get('server_median_ms'), 1)} | "
                   f"{fmt(t, 1) if t is not None else t_note} | {fmt(title.get('server_median_ms'), 1)} | "
                   f"{verified} | {fmt(h, 1) if h is not None else h_note} |")
    out += ["", "### Targets (issues 7 and 10)", ""] + targets(all_rows, results, sizes) + [""]
    out += ["### binder build --timings", ""]
    for n in sizes:
        for tool in ("bench", "default"):
            text = read(os.path.join(results, f"timings-{n}-{tool}.txt"))
            if text:
                out += [f"{n:,} articles, {tool} theme:", "```", text.rstrip(), "```"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
