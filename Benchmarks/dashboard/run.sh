#!/usr/bin/env bash
# The dashboard benchmark, release build: 10,000 changes, 1,000 rollouts and 100,000 audit events seeded in
# SQLite, then every page of the release `blastwall serve` requested with a signed-in session, next to a
# static asset through the same server (the floor: routing and the HTTP hop).
#
# Target: every page's server-side render p99 < 50 ms.
#   bash Benchmarks/dashboard/run.sh        # CHANGES=10000 ROLLOUTS=1000 AUDIT=100000 REQUESTS=200
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="$root/$("$root/scripts/release.sh" --output .build-release/dist)"
swift build -c release --product blastwall-dashboard-bench --scratch-path "$root/.build-release" >&2
"$root/.build-release/release/blastwall-dashboard-bench" "$binary" "${CHANGES:-10000}" "${ROLLOUTS:-1000}" "${AUDIT:-100000}" \
    "${REQUESTS:-200}" "${RESULTS:-$here/results.json}"
