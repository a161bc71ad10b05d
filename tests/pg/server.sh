#!/bin/sh
# A private PostgreSQL server for the tests: initdb + pg_ctl in a fresh
# temporary directory, listening only on 127.0.0.1 on a free port and on a
# unix socket inside that directory, fsync off.  As root the server runs as
# the unprivileged user "postgres" (initdb refuses root), owning the
# directory.  The superuser "perfcmp" has the password "perfcmp-test-pw"
# over TCP (scram-sha-256); the unix socket trusts.
#
#   tests/pg/server.sh start      prints two lines: DIR and the URL
#                                 postgresql://perfcmp:...@127.0.0.1:PORT/perfcmp
#   tests/pg/server.sh stop DIR   stops the server and removes DIR
#   tests/pg/server.sh find       exits 0 if the server binaries are found
#
# PG_BINDIR overrides where initdb, pg_ctl and postgres are looked for
# (default: pg_config --bindir, else the newest /usr/lib/postgresql/*/bin).
set -eu

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
    done
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
    echo ""
}

BINDIR=$(find_bindir)

# Runs "$@" as the server's user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
find)
    [ -n "$BINDIR" ] && [ -x "$BINDIR/initdb" ] && [ -x "$BINDIR/pg_ctl" ] || exit 1
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then exit 1; fi
    exit 0
    ;;
start)
    [ -n "$BINDIR" ] || { echo "server.sh: initdb not found (apt-get install postgresql)" >&2; exit 1; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/perfcmp-pg.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    pw="$dir/pw"
    as_pg sh -c "umask 077; printf '%s\n' perfcmp-test-pw > '$pw'"
    if ! as_pg "$BINDIR/initdb" -D "$dir/data" -U perfcmp --pwfile="$pw" -E UTF8 --locale=C \
            --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        exit 1
    fi
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_pg "$BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
               -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off \
                   -c synchronous_commit=off -c full_page_writes=off \
                   -c shared_buffers=32MB -c max_connections=40" start >/dev/null 2>&1; then
            as_pg "$BINDIR/createdb" -h "$dir" -p "$port" -U perfcmp perfcmp
            echo "$dir"
            echo "postgresql://perfcmp:perfcmp-test-pw@127.0.0.1:$port/perfcmp"
            exit 0
        fi
    done
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    exit 1
    ;;
stop)
    dir=${2:?usage: server.sh stop DIR}
    case "$dir" in */perfcmp-pg.*) ;; *) echo "server.sh: not a test server: $dir" >&2; exit 2;; esac
    if [ -d "$dir/data" ]; then
        as_pg "$BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR | find" >&2
    exit 2
    ;;
esac
