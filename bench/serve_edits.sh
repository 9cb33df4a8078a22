#!/usr/bin/env bash
# Edit-to-served latency of `binder serve` for a body edit and a title edit, and the full
# build time, on one generated corpus (default 10,000 articles, default theme, every feature
# on, as bench/run.sh's "default" site). A quicker companion to bench/run.sh for work on the
# incremental engine: no Hugo needed.
#
#   bench/serve_edits.sh [ARTICLES]      (BENCH_WORK, BENCH_SHARED, BENCH_EDITS as in run.sh)
#   BASELINE=path/to/other/binder        also times that binary's full build, for comparison
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-10000}
work=${BENCH_WORK:-/dev/shm/binder-bench}/serve-$n
shared=${BENCH_SHARED:-$repo/../shared/bench}
edits=${BENCH_EDITS:-10}

mkdir -p "$work"
(cd "$repo" && cargo build --release --locked --quiet)
cp "$repo/target/release/binder" "$work/binder"
if [ ! -d "$work/site/content" ]; then
    python3 "$shared/gen_corpus.py" --pages "$n" --out "$work/corpus" >&2
    mkdir -p "$work/site/themes"
    cp -r "$repo/themes/default" "$work/site/themes/default"
    cp -r "$work/corpus/content" "$work/site/content"
    eval "$(sed -n '/^site_toml_default()/,/^}/p' "$repo/bench/run.sh")"
    site_toml_default >"$work/site/site.toml"
fi
article=""
for f in "$work"/site/content/tips/*.md; do
    case ${f##*/} in _index.md) ;; *) article=${f##*/} && break ;; esac
done

full_build() {
    local bin=$1 best=""
    for _ in 1 2 3; do
        rm -rf "$work/out"
        local t0 t1
        t0=$(date +%s%N)
        "$bin" --root "$work/site" build --output "$work/out" >/dev/null 2>&1
        t1=$(date +%s%N)
        local ms=$(((t1 - t0) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    rm -rf "$work/out"
    echo "$best"
}

echo "full build (best of 3): $(full_build "$work/binder") ms"
if [ -n "${BASELINE:-}" ]; then
    echo "full build, $BASELINE (best of 3): $(full_build "$BASELINE") ms"
fi
for kind in body title; do
    cp "$work/site/content/tips/$article" "$work/article.bak"
    python3 "$repo/bench/serve_latency.py" --binder "$work/binder" --root "$work/site" \
        --article "content/tips/$article" --edits "$edits" --kind "$kind" --verify
    cp "$work/article.bak" "$work/site/content/tips/$article"
done
