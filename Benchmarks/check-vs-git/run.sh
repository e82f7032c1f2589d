#!/usr/bin/env bash
# The check-vs-git benchmark: builds blastwall in release mode, generates the synthetic monorepo
# (once; reused from $BENCH_DIR), and times `blastwall check` side by side with `git diff`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench_dir="${BENCH_DIR:-${TMPDIR:-/tmp}/blastwall-bench-monorepo}"
repetitions="${REPETITIONS:-7}"

swift build -c release --product blastwall --package-path "$root" >&2
binary="$(swift build -c release --product blastwall --package-path "$root" --show-bin-path)/blastwall"

if [ ! -d "$bench_dir/.git" ]; then
    echo "generating the synthetic monorepo in $bench_dir" >&2
    python3 "$here/generate_monorepo.py" "$bench_dir"
fi
echo "files: $(git -C "$bench_dir" ls-tree -r --name-only main | wc -l), changed: $(git -C "$bench_dir" diff --name-only main change | wc -l)" >&2
python3 "$here/benchmark.py" --repo "$bench_dir" --blastwall "$binary" --repetitions "$repetitions" --json "${RESULTS:-$here/results.json}"
