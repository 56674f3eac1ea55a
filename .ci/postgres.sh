#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite: `.ci/postgres.sh start` prints `export …` lines
# (eval them), `.ci/postgres.sh stop` stops the server and deletes its data directory.
#
# start: installs PostgreSQL from the distribution's packages when no server binaries are found,
# runs initdb in a temporary directory as a non-root user (initdb refuses root; as root we use the
# `postgres` system user the package creates), listens on 127.0.0.1 on a free port only, trusts
# local connections (a test server holding nothing), and turns durability off for speed.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    local candidate
    if command -v pg_config >/dev/null 2>&1; then
        candidate="$(pg_config --bindir 2>/dev/null || true)"
        [[ -x "$candidate/initdb" && -x "$candidate/postgres" ]] && { echo "$candidate"; return 0; }
    fi
    # Debian keeps server binaries out of PATH, one folder per major version; take the newest.
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x "$candidate/initdb" && -x "$candidate/postgres" ]] && { echo "$candidate"; return 0; }
    done
    return 1
}

install_server() {
    local sudo=""
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { log "PostgreSQL is absent and we are not root (no sudo)"; exit 1; }
        sudo="sudo"
    fi
    log "installing PostgreSQL from Debian packages …"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
}

as_owner() {  # run a server command as the data directory's (non-root) owner
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bindir dir port
    bindir="$(find_bindir)" || { install_server; bindir="$(find_bindir)"; }
    dir="$(mktemp -d "${TMPDIR:-/tmp}/coopnews-pg.XXXXXX")"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U coopnews --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    port="$(free_port)"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
    echo "export COOPNEWS_TEST_POSTGRES_URL=postgresql://coopnews@127.0.0.1:$port/postgres"
    echo "export COOPNEWS_PG_DIR=$dir"
    echo "export COOPNEWS_PG_BINDIR=$bindir"
}

stop() {
    local dir="${COOPNEWS_PG_DIR:-}" bindir="${COOPNEWS_PG_BINDIR:-}"
    [[ -n "$dir" && -d "$dir/data" ]] || return 0
    [[ -n "$bindir" ]] || bindir="$(find_bindir)"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || log "pg_ctl stop failed (see $dir/server.log)"
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
