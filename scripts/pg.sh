#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the persistence tests.
#   scripts/pg.sh start DIR   -> prints a connection string for database hueyp_test
#   scripts/pg.sh stop DIR    -> stops the cluster and removes DIR
# Trust authentication and a loopback-only listener: never point this at data you care about.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
command=$1
dir=$2

find_bindir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  local candidate
  for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_postgres_installed() {
  if bindir=$(find_bindir); then return 0; fi
  echo "pg.sh: initdb not found; installing Debian's postgresql package" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bindir=$(find_bindir) || { echo "pg.sh: initdb still not found after installing postgresql" >&2; exit 1; }
}

# The server refuses to run as root, so when we are root everything runs as the postgres user.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")  # the postgres user may not enter the caller's folder
  else
    "$@"
  fi
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 30000 ))
    if port_is_free "$port"; then echo "$port"; return 0; fi
  done
  echo "pg.sh: no free port found" >&2
  return 1
}

connection_string() { echo "Host=127.0.0.1;Port=$(cat "$dir/port");Username=postgres;Database=hueyp_test"; }

start() {
  ensure_postgres_installed
  dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
  if [ -f "$dir/port" ] && as_server_user "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    connection_string
    return 0
  fi
  rm -rf "$dir/data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  as_server_user "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  local port
  port=$(pick_free_port)
  # Tests run classes in parallel, each with its own connection pool; the default of 100 is too tight.
  as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$port" >"$dir/port"
  as_server_user "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
    -c "CREATE DATABASE hueyp_test" >/dev/null
  connection_string
}

stop() {
  [ -d "$dir" ] || return 0
  if [ -d "$dir/data" ]; then
    bindir=$(find_bindir) || true
    if [ -n "${bindir:-}" ]; then
      as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
  fi
  rm -rf "$dir"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
