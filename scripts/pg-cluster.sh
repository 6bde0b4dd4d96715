#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests: initdb in a temporary folder as the postgres user,
# listening on 127.0.0.1 at a free port, pg_stat_statements preloaded, password auth over TCP.
#   scripts/pg-cluster.sh start DIR   prints the connection URL (the superuser password is in it)
#   scripts/pg-cluster.sh stop DIR
set -euo pipefail
command=${1:?start or stop}
dir=${2:?cluster folder}
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
[ -x "$bin/initdb" ] || { echo "pg-cluster: PostgreSQL 15 server binaries are missing (apt-get install postgresql-15)" >&2; exit 1; }
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
    echo "$password" > "$dir/.pw" && chmod 600 "$dir/.pw"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/.pw"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/.pw" --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c fsync=off -c max_connections=200" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres:$password@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
