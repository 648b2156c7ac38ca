#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests (crates/xxgk-store, issue 10).
#
#   scripts/pg-test-cluster.sh start DIR   initdb in DIR (created, must not exist or be empty),
#                                          start the server on 127.0.0.1 and a free port, print
#                                          the URL to export as XXGK_TEST_POSTGRES_URL
#   scripts/pg-test-cluster.sh stop DIR    stop it (DIR can then be removed)
#
# Needs Debian's postgresql package (initdb, pg_ctl under /usr/lib/postgresql/*/bin). Run as
# root, the cluster runs as the unprivileged user `postgres` (or $XXGK_PG_USER). Trust
# authentication, listening on 127.0.0.1 only, the socket in DIR: it is for tests only.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m "$2")

bin=""
if command -v pg_ctl >/dev/null 2>&1; then
    bin=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
else
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin=$d; done
fi
[ -n "$bin" ] || { echo "pg-test-cluster: PostgreSQL not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "${XXGK_PG_USER:-postgres}" -- "$@"
    else
        "$@"
    fi
}

case $action in
start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown "${XXGK_PG_USER:-postgres}" "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U xxgk --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    for _ in 1 2 3 4 5; do
        port=$((40000 + RANDOM % 20000))
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
            echo "postgres://xxgk@127.0.0.1:$port/postgres"
            exit 0
        fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
*) usage ;;
esac
