#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the storage tests and prints its URL.
# Installs the server from Debian if it is missing. Usage: eval "$(.ci/postgres.sh)"
set -euo pipefail

port="${BLASTWALL_TEST_POSTGRES_PORT:-55432}"
data="${BLASTWALL_TEST_POSTGRES_DATA:-/tmp/blastwall-postgres}"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi

# PostgreSQL refuses to run as root; the cluster belongs to the 'postgres' system user.
run_as_postgres() {
    if [ "$(id -u)" = "0" ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if ! run_as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    rm -rf "$data"
    mkdir -p "$data"
    [ "$(id -u)" = "0" ] && chown postgres "$data"
    run_as_postgres "$bin/initdb" -D "$data" -U blastwall -A trust --no-sync >/dev/null
    run_as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=on -c max_connections=200" start >&2
fi
echo "export BLASTWALL_TEST_POSTGRES_URL=postgres://blastwall@127.0.0.1:$port/postgres"
