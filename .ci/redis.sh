#!/usr/bin/env bash
# A throw-away Redis for the test suite: `.ci/redis.sh start` prints `export …` lines (eval them),
# `.ci/redis.sh stop` stops the server and deletes its directory.
#
# start: installs redis-server from the distribution's packages when it is absent, runs it on
# 127.0.0.1 on a free port, saving nothing to disk, daemonised with a pid file in a temporary directory.
set -euo pipefail

log() { echo "redis.sh: $*" >&2; }

install_server() {
    local sudo=""
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { log "redis-server is absent and we are not root (no sudo)"; exit 1; }
        sudo="sudo"
    fi
    log "installing redis-server from Debian packages …"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local binary dir port
    binary="$(command -v redis-server || true)"
    [[ -n "$binary" ]] || { install_server; binary="$(command -v redis-server)"; }
    dir="$(mktemp -d "${TMPDIR:-/tmp}/coopnews-redis.XXXXXX")"
    port="$(free_port)"
    "$binary" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
        --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
    for _ in $(seq 1 100); do  # until it answers
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), timeout=0.2).close()" 2>/dev/null && break
        sleep 0.1
    done
    log "redis-server on 127.0.0.1:$port (in $dir)"
    echo "export COOPNEWS_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
    echo "export COOPNEWS_REDIS_DIR=$dir"
}

stop() {
    local dir="${COOPNEWS_REDIS_DIR:-}"
    [[ -n "$dir" && -d "$dir" ]] || return 0
    if [[ -f "$dir/redis.pid" ]]; then
        kill "$(cat "$dir/redis.pid")" 2>/dev/null || log "redis-server was not running"
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
