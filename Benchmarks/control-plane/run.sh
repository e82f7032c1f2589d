#!/usr/bin/env bash
# Control-plane benchmark: kill-switch and gate reads with wrk (requests/s, p99) next to /healthz as
# the framework's own floor; durable audit appends per second through the API on SQLite and, when
# BLASTWALL_BENCH_POSTGRES_URL is set (e.g. from .ci/postgres.sh), PostgreSQL; and
# `blastwall audit verify` over 1,000,000 events. Release build, loopback only.
#
#   bash Benchmarks/control-plane/run.sh            # DURATION=15s CONNECTIONS=64 EVENTS=1000000
set -euo pipefail
cd "$(dirname "$0")/../.."

duration="${DURATION:-15s}"
connections="${CONNECTIONS:-64}"
events="${EVENTS:-1000000}"
port="${PORT:-18090}"
url="http://127.0.0.1:$port"

if ! command -v wrk >/dev/null 2>&1; then
    apt-get update && apt-get install -y --no-install-recommends wrk
fi
swift build -c release --product blastwall >/dev/null
swift build -c release --product blastwall-audit-seed >/dev/null
bin="$(swift build -c release --show-bin-path)"
blastwall="$bin/blastwall"

work="$(mktemp -d)"
server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

# Starts the release server on DATABASE and sets TOKEN to a fresh admin token.
start_server() {
    local database="$1"
    TOKEN="$("$blastwall" admin bootstrap --database "$database" --name "bench-$RANDOM" 2>/dev/null)"
    "$blastwall" serve --listen "127.0.0.1:$port" --database "$database" >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fsS "$url/healthz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1
}

# Runs wrk and prints "requests/s p99 non-2xx total" for one URL.
measure() {
    local output
    output="$(wrk -t2 -c"$connections" -d"$duration" --latency "$@")"
    local rps p99 errors total
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$output")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$output")"
    errors="$(awk '/Non-2xx/ {print $NF}' <<<"$output")"
    total="$(awk '/requests in/ {print $1}' <<<"$output")"
    echo "$rps $p99 ${errors:-0} $total"
}

report_reads() {
    local label="$1"; shift
    read -r rps p99 errors _ <<<"$(measure "$@")"
    printf '%-34s %10s req/s   p99 %-9s non-2xx %s\n' "$label" "$rps" "$p99" "$errors"
}

cat >"$work/append.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.body = '{"action": "custom.benchmark", "subject": "bench/appends", "payload": {"step": 1}}'
LUA

report_appends() {
    local label="$1"
    read -r rps p99 errors total <<<"$(BENCH_TOKEN="$TOKEN" measure -s "$work/append.lua" "$url/api/v1/audit/events")"
    local seconds="${duration%s}"
    local durable=$(( (total - errors) / seconds ))
    printf '%-34s %10s events/s durable (201s)   p99 %-9s non-2xx %s\n' "$label" "$durable" "$p99" "$errors"
}

echo "== reads (SQLite, release build, wrk -t2 -c$connections -d$duration)"
start_server "$work/reads.sqlite"
export BLASTWALL_SERVER="$url" BLASTWALL_TOKEN="$TOKEN"
"$blastwall" switch create checkout-v2 >/dev/null
"$blastwall" switch on checkout-v2 --reason "benchmark" >/dev/null
"$blastwall" demo --directory "$work/demo" >/dev/null 2>&1
change_id="$(cd "$work/demo" && git checkout -q agent/cleanup-ledger && { "$blastwall" check --base main --submit 2>&1 || true; } | sed -n 's/.*submitted as change \([0-9]*\).*/\1/p')"
[ -n "$change_id" ] || { echo "could not submit the demo change" >&2; exit 1; }
report_reads "GET /healthz (baseline)" "$url/healthz"
report_reads "GET /api/v1/switches/checkout-v2" "$url/api/v1/switches/checkout-v2"
report_reads "GET /api/v1/changes/$change_id/gate" -H "Authorization: Bearer $TOKEN" "$url/api/v1/changes/$change_id/gate"

echo "== audit appends through the API"
report_appends "POST /api/v1/audit/events SQLite"
"$blastwall" audit verify --database "$work/reads.sqlite" | tail -1
stop_server
if [ -n "${BLASTWALL_BENCH_POSTGRES_URL:-}" ]; then
    start_server "$BLASTWALL_BENCH_POSTGRES_URL"
    report_appends "POST /api/v1/audit/events Postgres"
    stop_server
else
    echo "(set BLASTWALL_BENCH_POSTGRES_URL to a fresh database to measure PostgreSQL appends)"
fi

echo "== audit verify over $events events"
"$bin/blastwall-audit-seed" "$work/verify.sqlite" "$events"
start=$(date +%s.%N)
"$blastwall" audit verify --database "$work/verify.sqlite" | tail -1
end=$(date +%s.%N)
printf 'audit verify: %.2f s for %s events\n' "$(echo "$end - $start" | bc)" "$events"
/usr/bin/time -f 'peak RSS %M KiB' "$blastwall" audit verify --database "$work/verify.sqlite" >/dev/null
