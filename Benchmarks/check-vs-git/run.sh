#!/usr/bin/env bash
# The check-vs-git benchmark: builds the release binary (scripts/release.sh), generates the two repositories
# (once; reused from $BENCH_DIR), and times `blastwall check` side by side with `git diff -U0 -M`:
#
#   monorepo   100,000 files in 2,000 services, a range of 20 commits changing 10,000 files
#   one-commit the same 2,000 services, one ordinary commit of 3 files
#   history    24,000 files, services imported by `blastwall init` from a CODEOWNERS of ~400 rules,
#              2,000 real-shaped commits (trailers, squash merges, bots, renames, mixed file sizes)
#
# Targets: history ≤ 1.3× git; one-commit ≤ 15 ms.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench_dir="${BENCH_DIR:-${TMPDIR:-/tmp}/blastwall-bench}"
repetitions="${REPETITIONS:-7}"

binary="$root/$("$root/scripts/release.sh" --output .build-release/dist)"

if [ ! -d "$bench_dir/monorepo/.git" ]; then
    echo "generating the synthetic monorepo in $bench_dir/monorepo" >&2
    python3 "$here/generate_monorepo.py" "$bench_dir/monorepo"
fi
if [ ! -d "$bench_dir/history/.git" ]; then
    echo "generating the real-shaped history in $bench_dir/history" >&2
    python3 "$here/generate_history.py" "$bench_dir/history" --blastwall "$binary"
fi
python3 "$here/benchmark.py" --blastwall "$binary" --repetitions "$repetitions" --json "${RESULTS:-$here/results.json}" \
    --scenario "monorepo:$bench_dir/monorepo:main:change" \
    --scenario "one-commit:$bench_dir/monorepo:main:one" \
    --scenario "history:$bench_dir/history:main:history"
