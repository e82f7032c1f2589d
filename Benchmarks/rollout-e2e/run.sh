#!/usr/bin/env bash
# Section 6 of issue 4, repeated: HAProxy + two demo-app versions + Prometheus (1 s scrapes) + wrk at
# ~400 req/s, a canary failing 5% of requests (stable 0.1%) at a first step of 5%. Each run prints the seconds from the canary's
# first request to 100% stable and the share of all requests that failed; this script collects them.
# Needs haproxy, prometheus and wrk (.ci/run installs them). Usage: Benchmarks/rollout-e2e/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
swift build --build-tests >/dev/null
results=()
for run in $(seq 1 "$runs"); do
    output=$(swift test --skip-build --filter "EndToEndRolloutTests/aFaultyCanaryIsRolledBack" 2>&1 || true)
    line=$(grep "e2e faulty canary" <<<"$output" || true)
    echo "run $run: ${line:-no result}"
    # A run that failed shows why.
    grep -E "✘|Expectation failed" <<<"$output" | head -5 || true
    results+=("$line")
done
printf '%s\n' "${results[@]}" | python3 -c '
import re, statistics, sys
seconds, failed = [], []
for line in sys.stdin:
    m = re.search(r"canary: ([0-9.]+) s to 100% stable; (\d+)/(\d+)", line)
    if m:
        seconds.append(float(m.group(1)))
        failed.append(int(m.group(2)) / int(m.group(3)) * 100)
if seconds:
    print(f"runs: {len(seconds)}; seconds to 100% stable: median {statistics.median(seconds):.1f}, max {max(seconds):.1f}; "
          f"failed requests: median {statistics.median(failed):.3f}%, max {max(failed):.3f}%")
'
