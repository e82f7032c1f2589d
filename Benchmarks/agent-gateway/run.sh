#!/usr/bin/env bash
# The agent-gateway benchmark, on the release build:
#
#   hook latency   `blastwall agent hook` per invocation, process start included, side by side with `true`
#                  fed the same JSON (the floor of starting a process); commands from the labelled corpus
#   throughput     in-process classification (and classification plus decision) of the corpus, one thread
#
# Targets: hook p50 ≤ 10 ms and p99 ≤ 25 ms; ≥ 100,000 commands/s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
invocations="${INVOCATIONS:-1000}"
corpus="$root/Tests/CommandGuardTests/Corpus/commands.txt"

binary="$root/$("$root/scripts/release.sh" --output .build-release/dist)"
swift build -c release --product blastwall-guard-bench --scratch-path "$root/.build-release" >&2
throughput="$root/.build-release/release/blastwall-guard-bench"

repository="$(mktemp -d)"
trap 'rm -rf "$repository"' EXIT
git -C "$repository" init --quiet
configuration="$root/Tests/CommandGuardTests/Corpus/blastwall.yml"
cp "$configuration" "$repository/blastwall.yml"

python3 "$here/bench.py" --blastwall "$binary" --repository "$repository" --corpus "$corpus" --invocations "$invocations" \
    --json "${RESULTS:-$here/results.json}"
"$throughput" "$configuration" "$corpus" "${SECONDS_PER_RUN:-3}"
