#!/usr/bin/env bash
# binder vs Hugo, side by side, in one run: bench/run.sh (see bench/README.md).
#
# Generates 1,000- and 10,000-article corpora, builds each with Hugo, with binder's bench
# theme (same pages and markup as the Hugo layouts) and with binder's default theme
# (everything on), and prints a table of median wall time, CPU time, peak RSS and output size
# with binder ÷ Hugo ratios, the 10k ÷ 1k scaling, one on-disk build each, and the
# edit-to-served latency of `binder serve` and `hugo server`.
#
# Knobs (environment):
#   BENCH_SIZES="1000 10000"   corpus sizes (articles)
#   BENCH_RUNS=5               timed rounds, every build of every size in each (after a warm-up)
#   BENCH_WORK=/dev/shm/binder-bench   corpora and RAM outputs (must be in RAM for the main table)
#   BENCH_DISK=<repo>/target/bench-disk  where the on-disk builds write
#   BENCH_SHARED=<repo>/../shared/bench  gen_corpus.py and the Hugo site
#   BENCH_LATENCY=1            0 skips the serve latency measurements
#   BENCH_EDITS=10             edits per latency measurement
#   BENCH_BINDER=path          use this binder binary instead of building one
#   BENCH_REAL_SIZES=5000      sizes of the realistic corpus (gen_real_corpus.py); "" skips it
#   BENCH_GIT_SIZE=10000       articles of the git case (a repository with a long history); "" skips it
#   BENCH_GIT_COMMITS=2000     commits in its history (gen_git_history.py, via git fast-import)
#   BENCH_GIT_PACK=repack      how it is packed: repack (as gc --aggressive or a clone), fast-import
# `bench/run.sh realistic` runs only the realistic-corpus comparison (Hugo vs binder).
# `bench/run.sh git` runs only the git case: the default-theme build with `[git]` on vs off.
# The benchmark is never run by CI or the tests: it takes minutes and needs Hugo.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${BENCH_SIZES:-"1000 10000"}
runs=${BENCH_RUNS:-5}
work=${BENCH_WORK:-/dev/shm/binder-bench}
disk=${BENCH_DISK:-$repo/target/bench-disk}
shared=${BENCH_SHARED:-$repo/../shared/bench}
latency=${BENCH_LATENCY:-1}
edits=${BENCH_EDITS:-10}
results=$work/results
real_sizes=${BENCH_REAL_SIZES-5000}
git_size=${BENCH_GIT_SIZE-10000}
git_commits=${BENCH_GIT_COMMITS:-2000}
git_pack=${BENCH_GIT_PACK:-repack}

say() { printf '\n== %s\n' "$*" >&2; }

ensure_tools() {
    local missing=()
    command -v hugo >/dev/null || missing+=(hugo)
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    [ -x /usr/bin/time ] || missing+=(time)
    command -v python3 >/dev/null || missing+=(python3)
    [ ${#missing[@]} -eq 0 ] && return
    say "installing ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get install -y "${missing[@]}"
}

# The release binary, copied so that a rebuild in the tree during the run cannot change it.
build_binder() {
    if [ -n "${BENCH_BINDER:-}" ]; then
        cp "$BENCH_BINDER" "$work/binder"
        return
    fi
    say "cargo build --release"
    (cd "$repo" && cargo build --release --locked --quiet)
    cp "$repo/target/release/binder" "$work/binder"
}

site_toml_bench() {
    cat <<'EOF'
# binder with the bench theme: the same pages as ../shared/bench/hugo (no feeds, no search
# index, every listing on one page like Hugo's unpaginated list and term layouts).
title = "Coaching Handbook"
base_url = "https://handbook.example/"
language = "en"
theme = "bench"

[[taxonomies]]
name = "concepts"
paginate_by = 1000000
feed = false

[[taxonomies]]
name = "authors"
paginate_by = 1000000
feed = false

[feeds]
enabled = false

[search]
enabled = false
EOF
}

site_toml_default() {
    cat <<'EOF'
# binder with the default theme and every default on: backlinks, related, series, pairs,
# feeds, search index, print page, question bank, graph.json, sitemap.
title = "Coaching Handbook"
description = "Principles, pair-blog posts and tips about coaching."
base_url = "https://handbook.example/"
language = "en"
EOF
}

# Generates the corpus of $1 articles and lays out three site roots that read it:
# hugo/ (the shared Hugo site), bench/ and default/ (binder). Each gets its own copy of
# content/ so an edit made by the latency test in one never leaks into another.
prepare_sites() {
    local n=$1 dir=$work/$1
    say "corpus: $n articles"
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 "$shared/gen_corpus.py" --pages "$n" --out "$dir/corpus" >&2
    mkdir -p "$dir/hugo" "$dir/bench/themes" "$dir/default/themes"
    cp -r "$shared/hugo/." "$dir/hugo/"
    cp -r "$repo/bench/theme" "$dir/bench/themes/bench"
    cp -r "$repo/themes/default" "$dir/default/themes/default"
    site_toml_bench >"$dir/bench/site.toml"
    site_toml_default >"$dir/default/site.toml"
    for root in hugo bench default; do
        cp -r "$dir/corpus/content" "$dir/$root/content"
    done
    # Hugo's list layout shows every article of a section on one page; binder paginates
    # sections by the `paginate_by` of their _index.md, so give the bench site one page too.
    for f in "$dir"/bench/content/*/_index.md; do
        sed -i '2i paginate_by: 1000000' "$f"
    done
}

# Command line that builds tool $1 (hugo | bench | default) at size $2 into $3.
build_cmd() {
    local tool=$1 n=$2 out=$3
    case $tool in
        hugo) echo "cd $work/$n/hugo && hugo --quiet -d $out" ;;
        *) echo "$work/binder --root $work/$n/$tool build --output $out" ;;
    esac
}

label() {
    case $1 in
        hugo) echo "Hugo" ;;
        bench) echo "binder (bench theme)" ;;
        default) echo "binder (default theme)" ;;
    esac
}

tools="hugo bench default"

# Wall time in RAM, output folder removed before each run: one warm-up round, then $runs
# rounds; each round runs every build of every size once in turn (hyperfine --runs 1 with all
# of a size's commands). Interleaving keeps a change in machine load (other jobs on a shared
# box) from landing on one tool or one size only; report.py takes medians over the rounds.
ram_args() {
    local n=$1 t
    for t in $tools; do
        local out=$work/out/$n-$t
        printf '%s\0' --prepare "rm -rf $out" -n "$(label "$t")" "$(build_cmd "$t" "$n" "$out/site")"
    done
}

time_in_ram() {
    local n r args
    say "hyperfine: output in RAM, sizes $sizes, $runs interleaved rounds"
    for n in $sizes; do
        mapfile -d '' args < <(ram_args "$n")
        hyperfine --style basic --runs 1 "${args[@]}" >/dev/null 2>&1
    done
    for r in $(seq "$runs"); do
        for n in $sizes; do
            mapfile -d '' args < <(ram_args "$n")
            hyperfine --style basic --runs 1 --export-json "$results/ram-$n-$r.json" "${args[@]}" >&2
        done
    done
}

# One more build each under /usr/bin/time -v: peak RSS and output size.
memory_and_size() {
    local n=$1
    for t in $tools; do
        local out=$work/out/$n-$t
        rm -rf "$out"
        /usr/bin/time -v -o "$results/time-$n-$t.txt" bash -c "$(build_cmd "$t" "$n" "$out/site")" >/dev/null 2>&1
        {
            echo "bytes $(du -sb "$out/site" | cut -f1)"
            echo "files $(find "$out/site" -type f | wc -l)"
        } >"$results/size-$n-$t.txt"
        rm -rf "$out"
    done
}

# One build each with the output on disk (creating files there is much slower than in RAM).
time_on_disk() {
    local n=$1 args=()
    mkdir -p "$disk"
    for t in $tools; do
        local out=$disk/$n-$t
        args+=(--prepare "rm -rf $out; sync" -n "$(label "$t")" "$(build_cmd "$t" "$n" "$out/site")")
    done
    say "hyperfine: $n articles, output on disk ($disk)"
    hyperfine --style basic --runs 1 --export-json "$results/disk-$n.json" "${args[@]}" >&2
    for t in $tools; do rm -rf "${disk:?}/$n-$t"; done
}

# binder's own per-stage times (`--timings`) for both themes.
stage_timings() {
    local n=$1
    for t in bench default; do
        local out=$work/out/$n-$t
        rm -rf "$out"
        "$work/binder" --root "$work/$n/$t" build --output "$out/site" --timings 2>"$results/timings-$n-$t.txt" >/dev/null
        rm -rf "$out"
    done
}

# Edit-to-served latency: one article body edited, its URL polled, median of $edits edits.
serve_latency() {
    local n=$1 dir=$work/$1
    # The first tip in name order (a glob, not `ls | head`: with pipefail, a pipe cut short
    # by head fails the script once the listing outgrows the pipe buffer).
    local article="" f
    for f in "$dir"/corpus/content/tips/*.md; do
        case ${f##*/} in _index.md) ;; *) article=${f##*/} && break ;; esac
    done
    local slug=${article%.md}
    say "serve latency: $n articles (editing tips/$article)"
    python3 "$repo/bench/latency.py" --root "$dir/hugo" --article "content/tips/$article" \
        --url "http://127.0.0.1:13130/tips/$slug/" --edits "$edits" \
        -- hugo server --port 13130 --bind 127.0.0.1 >"$results/latency-$n-hugo.json" \
        || echo '{"error": "hugo server measurement failed"}' >"$results/latency-$n-hugo.json"
    if [ -f "$repo/bench/serve_latency.py" ]; then
        python3 "$repo/bench/serve_latency.py" --binder "$work/binder" --root "$dir/default" \
            --article "content/tips/$article" --edits "$edits" --verify --json >"$results/latency-$n-binder.json" \
            || echo '{"error": "binder serve measurement failed"}' >"$results/latency-$n-binder.json"
        # A title edit changes every listing, term page and wikilink showing the title.
        python3 "$repo/bench/serve_latency.py" --binder "$work/binder" --root "$dir/default" \
            --article "content/tips/$article" --edits "$edits" --kind title --verify --json \
            >"$results/latency-$n-binder-title.json" \
            || echo '{"error": "binder serve title measurement failed"}' >"$results/latency-$n-binder-title.json"
    else
        echo '{"error": "bench/serve_latency.py not present"}' >"$results/latency-$n-binder.json"
    fi
}

# --- Realistic corpus: what handbooks written for other tools contain (issue 13) ---------
# gen_real_corpus.py writes no-front-matter files, foreign keys, folder links, deep nesting,
# images, non-ASCII headings, long pages and a few hundred broken links. Hugo reads the
# "foreign" corpus; binder reads it too (needs optional front matter) and the same corpus
# with binder front matter (--front-matter binder), in one interleaved hyperfine run.

site_toml_real() {
    cat <<'EOF'
# binder with the bench theme on the realistic corpus: the handbook lives under /handbook/
# and its broken links are warnings, as in a migrated handbook.
title = "Team Handbook"
base_url = "https://handbook.example/handbook/"
language = "en"
theme = "bench"

[links]
broken = "warn"

[[taxonomies]]
name = "concepts"
paginate_by = 1000000
feed = false

[[taxonomies]]
name = "authors"
paginate_by = 1000000
feed = false

[feeds]
enabled = false

[search]
enabled = false
EOF
}

prepare_real() {
    local n=$1 dir=$work/real-$1 mode
    say "realistic corpus: $n articles"
    rm -rf "$dir"
    mkdir -p "$dir/hugo"
    cp -r "$shared/hugo/." "$dir/hugo/"
    for mode in foreign binder; do
        python3 "$repo/bench/gen_real_corpus.py" --pages "$n" --out "$dir/corpus-$mode" --front-matter "$mode" >&2
        mkdir -p "$dir/binder-$mode/themes"
        cp -r "$repo/bench/theme" "$dir/binder-$mode/themes/bench"
        # Real handbooks have undated pages: the date line only when there is a date (Hugo's
        # layout prints its zero date instead, which costs it nothing).
        sed -i 's/{{ page.date | date(format="%B %-d, %Y") }}/{% if page.date %}&{% endif %}/' \
            "$dir/binder-$mode/themes/bench/templates/page.html"
        site_toml_real >"$dir/binder-$mode/site.toml"
        cp -r "$dir/corpus-$mode/content" "$dir/binder-$mode/content"
    done
    cp -r "$dir/corpus-foreign/content" "$dir/hugo/content"
    # The shared site's link hook fails the build on a broken link; this corpus has a few
    # hundred on purpose, so Hugo warns instead (the same lookups, like binder's warn mode).
    sed -i 's/errorf "broken internal link/warnf "broken internal link/' \
        "$dir/hugo/layouts/_default/_markup/render-link.html"
}

# Hugo vs binder on the realistic corpus: $runs interleaved rounds, then --timings for the
# share of `resolve` in a build. A binder build that fails (the foreign corpus before front
# matter became optional) is reported as such, not timed.
time_real() {
    local n=$1 dir=$work/real-$1 args=() mode out
    out=$work/out/real-$n
    args+=(--prepare "rm -rf $out-hugo" -n "Hugo"
        "cd $dir/hugo && hugo --quiet --baseURL https://handbook.example/handbook/ -d $out-hugo/site")
    rm -f "$results"/real-"$n"-*.failed
    for mode in foreign binder; do
        rm -rf "$out-$mode"
        if "$work/binder" --root "$dir/binder-$mode" build --output "$out-$mode/site" \
            >"$results/real-$n-$mode.log" 2>&1; then
            args+=(--prepare "rm -rf $out-$mode" -n "binder ($mode front matter)"
                "$work/binder --root $dir/binder-$mode build --output $out-$mode/site")
        else
            echo "fails" >"$results/real-$n-$mode.failed"
        fi
    done
    say "hyperfine: realistic corpus, $n articles, $runs rounds"
    hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$results/real-$n.json" "${args[@]}" >&2
    for mode in foreign binder; do
        [ -f "$results/real-$n-$mode.failed" ] && continue
        rm -rf "$out-$mode"
        local t0 t1
        t0=$(date +%s%N)
        "$work/binder" --root "$dir/binder-$mode" build --output "$out-$mode/site" --timings \
            2>"$results/real-timings-$n-$mode.txt" >/dev/null
        t1=$(date +%s%N)
        echo "wall_ms $(((t1 - t0) / 1000000))" >>"$results/real-timings-$n-$mode.txt"
        rm -rf "$out-$mode"
    done
    rm -rf "$out-hugo"
}

realistic() {
    local n
    for n in $real_sizes; do
        prepare_real "$n"
        time_real "$n"
    done
    # shellcheck disable=SC2086 # one argument per size
    python3 "$repo/bench/real_report.py" "$results" $real_sizes | tee "$results/real-summary.md"
}

# The git case: the default-theme site of $git_size articles as a git repository with
# $git_commits commits (25 authors, 1-5 articles each; packed as $git_pack says), built with
# git dates and contributors on and off (`[git] enabled = false`); target: on ≤ 1.10 × off.
# On and off alternate within each of $runs rounds (after a warm-up round), so load that
# drifts falls on both; reported: the median per-round ratio with its range, and the `git`
# lap of `--timings` (one more build per round) against the whole build.
git_case() {
    local n=$git_size dir=$work/git-$git_size round
    [ -n "$n" ] || return 0
    say "git case: $n articles, $git_commits commits, pack: $git_pack"
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 "$shared/gen_corpus.py" --pages "$n" --out "$dir/corpus" >&2
    mkdir -p "$dir/on/themes"
    cp -r "$repo/themes/default" "$dir/on/themes/default"
    site_toml_default >"$dir/on/site.toml"
    cp -r "$dir/corpus/content" "$dir/on/content"
    python3 "$repo/bench/gen_git_history.py" "$dir/on" --commits "$git_commits" --pack "$git_pack" >&2
    cp -r "$dir/on" "$dir/off"
    printf '\n[git]\nenabled = false\n' >>"$dir/off/site.toml"
    for round in $(seq 0 "$runs"); do
        hyperfine --style basic --runs 1 --export-json "$results/git-$n-$round.json" \
            -n "git on" "$work/binder --root $dir/on build --output $work/out/git-on" \
            -n "git off" "$work/binder --root $dir/off build --output $work/out/git-off" >&2
        "$work/binder" --root "$dir/on" build --timings --output "$work/out/git-on" \
            >"$results/git-$n-$round.timings" 2>&1
    done
    python3 - "$results" "$n" "$git_commits" "$runs" "$git_pack" <<'PY' | tee "$results/git-summary.md"
import json, re, statistics, sys
res, n, commits, runs, pack = sys.argv[1:]
on, off, ratio, lap = [], [], [], []
for r in range(1, int(runs) + 1):  # round 0 is the warm-up
    t = {x["command"]: x["times"][0] for x in json.load(open(f"{res}/git-{n}-{r}.json"))["results"]}
    on.append(t["git on"]); off.append(t["git off"]); ratio.append(t["git on"] / t["git off"])
    laps = dict(re.findall(r"^\s*(\S+)\s+([\d.]+) ms$", open(f"{res}/git-{n}-{r}.timings").read(), re.M))
    lap.append(float(laps["git"]) / 1000)
m = statistics.median
print(f"git case, {n} articles, {commits} commits, {pack} pack, {runs} rounds: "
      f"on {m(on):.3f} s, off {m(off):.3f} s, on/off {m(ratio):.3f} "
      f"(rounds {min(ratio):.3f}-{max(ratio):.3f}; target ≤ 1.10); "
      f"git lap {m(lap) * 1000:.0f} ms ({min(lap) * 1000:.0f}-{max(lap) * 1000:.0f}) "
      f"= {m(lap) / m(on) * 100:.1f}% of the median on build")
PY
}

git_only() {
    ensure_tools
    mkdir -p "$work" "$results" "$work/out"
    build_binder
    git_case
}

# `bench/run.sh realistic`: only this comparison (a few minutes at 5,000 articles).
realistic_only() {
    ensure_tools
    mkdir -p "$work" "$results" "$work/out"
    build_binder
    realistic
}

main() {
    if [ ! -f "$shared/gen_corpus.py" ] || [ ! -d "$shared/hugo" ]; then
        echo "bench/run.sh: no gen_corpus.py and hugo/ in $shared; set BENCH_SHARED to the folder holding them" >&2
        exit 2
    fi
    ensure_tools
    mkdir -p "$work"
    rm -rf "$results" "$work/out"
    mkdir -p "$results" "$work/out"
    build_binder
    {
        echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "commit $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$repo" && git diff --quiet 2>/dev/null || echo +dirty)"
        echo "hugo $(hugo version | cut -d' ' -f2)"
        echo "cpus $(nproc)"
        echo "cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
        echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "sizes $sizes"
        echo "runs $runs"
    } >"$results/meta.txt"
    for n in $sizes; do
        prepare_sites "$n"
    done
    time_in_ram
    for n in $sizes; do
        memory_and_size "$n"
        time_on_disk "$n"
        stage_timings "$n"
        [ "$latency" = 1 ] && serve_latency "$n"
    done
    echo "load-after $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/meta.txt"
    python3 "$repo/bench/report.py" "$results" | tee "$results/summary.md"
    if [ -n "$real_sizes" ]; then realistic; fi
    git_case
}

if [ "${1:-}" = realistic ]; then
    realistic_only
elif [ "${1:-}" = git ]; then
    git_only
else
    main "$@"
fi
