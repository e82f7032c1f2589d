#!/usr/bin/env bash
# The incidents benchmark, release build, in process on SQLite: a history of 100,000 rollouts over 90 days on
# 2,000 services; suspects of incidents at random times (next to counting the window's rollouts), an
# Alertmanager notification received and ranked, and DORA over 90 days (next to counting the rollouts); then the
# release `blastwall serve` on the same history: a notification POSTed and its incident's top suspect read back.
#
# Targets: suspects p99 < 50 ms; alert to top suspect < 1 s; DORA over 90 days < 1 s.
#   bash Benchmarks/incidents/run.sh        # ROLLOUTS=100000 SERVICES=2000 INCIDENTS=200
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="$root/$("$root/scripts/release.sh" --output .build-release/dist)"
swift build -c release --product blastwall-incident-bench --scratch-path "$root/.build-release" >&2
"$root/.build-release/release/blastwall-incident-bench" "${ROLLOUTS:-100000}" "${SERVICES:-2000}" "${INCIDENTS:-200}" \
    "${RESULTS:-$here/results.json}" "$binary"
