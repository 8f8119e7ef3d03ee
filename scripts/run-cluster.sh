#!/usr/bin/env bash
# scripts/run-cluster.sh — the two-node active/standby pair on one machine, for trying failover by hand:
# a throwaway PostgreSQL (as scripts/test.sh starts one; $HUEYP_PG is used instead when set), node-a and node-b
# (hocon/node-a.conf, hocon/node-b.conf; run folders run/node-a and run/node-b), and a line every two seconds saying
# who is active. Try: `kill -9 <pid of the active>`, `kill -STOP ...`, or
# `scripts/hueyp cluster step-down --config hocon/node-a.conf`. Ctrl-C stops everything this script started.
# HUEYP_NODE_DLL=path/to/hueyp.dll uses an already built node instead of building src/HueyP.Node.
source "$(dirname "$0")/lib/common.sh"

pg_dir=""
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_dir" ]; then scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi
  echo "run-cluster: stopped"
}
trap cleanup EXIT INT TERM

if [ -z "${HUEYP_PG:-}" ]; then
  pg_dir="$(mktemp -d /tmp/hueyp-cluster-pg.XXXXXX)"
  HUEYP_PG="$(scripts/pg.sh start "$pg_dir" | tail -n 1)" || { echo "error: could not start PostgreSQL; set HUEYP_PG instead" >&2; exit 1; }
fi
export HUEYP_PG
echo "run-cluster: PostgreSQL $HUEYP_PG"

# HUEYP_NODE_DLL: an already built hueyp.dll (skips the build).
dll=${HUEYP_NODE_DLL:-src/HueyP.Node/bin/Release/net10.0/hueyp.dll}
if [ -z "${HUEYP_NODE_DLL:-}" ]; then
  echo "run-cluster: building hueyp (Release)..."
  dotnet build src/HueyP.Node -c Release -nologo -v quiet -clp:ErrorsOnly
fi

for node in a b; do
  mkdir -p "run/node-$node"
  dotnet "$dll" node run --config "hocon/node-$node.conf" >"run/node-$node/console.log" 2>&1 &
  pids+=($!)
  echo "run-cluster: node-$node started (pid $!, admin 127.0.0.1:$([ $node = a ] && echo 9110 || echo 9111), log run/node-$node/console.log)"
  # node-a first, so a fresh database has one obvious first active.
  [ $node = a ] && sleep 3
done

# One `cluster show --json` per node: its role, and the lease holder as that node reads it from PostgreSQL.
show() { dotnet "$dll" cluster show --config "hocon/node-$1.conf" --json 2>/dev/null || true; }
field() { sed -n "s/^$1\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" | head -n 1; }

last=""
gone=()
while true; do
  for i in 0 1; do
    if [ -z "${gone[$i]:-}" ] && ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run-cluster: node-$([ $i = 0 ] && echo a || echo b) (pid ${pids[$i]}) is not running"
      gone[$i]=1
    fi
  done
  a=$(show a); b=$(show b)
  holder=$( (echo "$a"; echo "$b") | field "    " holder)
  epoch=$( (echo "$a"; echo "$b") | field "    " epoch)
  line="active: ${holder:-unknown}${epoch:+ (epoch $epoch)}; node-a $(echo "$a" | field "  " role), node-b $(echo "$b" | field "  " role)"
  if [ "$line" != "$last" ]; then echo "$(date +%H:%M:%S) $line"; last="$line"; fi
  sleep 2
done
