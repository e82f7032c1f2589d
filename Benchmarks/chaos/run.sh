#!/usr/bin/env bash
# The kill -9 campaign (see chaos.py): KILLS (default 30) SIGKILLs of a server under write load on SQLite,
# and as many of two servers sharing one PostgreSQL database. Reports acknowledged writes lost (must be 0),
# half-written events (0), the chain, and the rollout leader's takeover time. Release build, loopback only.
#
#   bash Benchmarks/chaos/run.sh            # KILLS=30; PostgreSQL from .ci/postgres.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${KILLS:-30}"
swift build -c release --product blastwall >/dev/null
blastwall="$(swift build -c release --show-bin-path)/blastwall"

python3 Benchmarks/chaos/chaos.py "$blastwall" sqlite "$kills"

eval "$(bash .ci/postgres.sh)"
database="chaos_$RANDOM$RANDOM"
psql "$BLASTWALL_TEST_POSTGRES_URL" -qc "CREATE DATABASE $database"
trap 'psql "$BLASTWALL_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
python3 Benchmarks/chaos/chaos.py "$blastwall" "${BLASTWALL_TEST_POSTGRES_URL%/*}/$database" "$kills"
