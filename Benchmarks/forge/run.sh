#!/usr/bin/env bash
# The forge benchmark, on the release build: the fake GitHub (an App, in the driver's process) and the real
# `blastwall serve` on SQLite, loopback only.
#
#   deliveries/s   signed deliveries through signature check, dedupe and the durable queue, next to GET /healthz
#   latency        a review delivery to the check run it changes, next to the delivery's own round trip
#
# Targets: ≥ 1,000 deliveries/s; webhook-to-check-run p99 < 100 ms.
#   bash Benchmarks/forge/run.sh        # DELIVERIES=5000 CONCURRENCY=16 FLIPS=200
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

binary="$root/$("$root/scripts/release.sh" --output .build-release/dist)"
swift build -c release --product blastwall-forge-bench --scratch-path "$root/.build-release" >&2
"$root/.build-release/release/blastwall-forge-bench" "$binary" "${DELIVERIES:-5000}" "${CONCURRENCY:-16}" "${FLIPS:-200}" \
    "${RESULTS:-$here/results.json}"
