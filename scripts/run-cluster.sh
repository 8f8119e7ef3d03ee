#!/usr/bin/env bash
# scripts/run-cluster.sh [--no-orders] — the two-node active/standby pair on one machine, for trying failover by hand:
# a throwaway PostgreSQL (as scripts/test.sh starts one; $HUEYP_PG is used instead when set), node-a and node-b
# (hocon/node-a.conf, hocon/node-b.conf; run folders run/node-a and run/node-b), and a line every two seconds saying
# who is active and how many orders the journal holds. Orders flow: whichever node is active feeds its engine the shipped
# EURUSD ticks of 2020-01-30 (hueyp.cluster.drill-feed, 500 ticks/s, M1 bars with short EMAs so orders come every
# second or so) through the paper broker; a new active resumes where the old one stopped. --no-orders runs the bare pair.
# Try: `kill -9 <pid of the active>`, `kill -STOP ...`, `scripts/hueyp cluster step-down --config hocon/node-a.conf`,
# `scripts/hueyp cluster drill-feed pause --config hocon/node-a.conf` then `scripts/hueyp state rebuild --config ...`.
# Ctrl-C stops everything this script started.
# HUEYP_NODE_DLL=path/to/hueyp.dll uses an already built node instead of building src/HueyP.Node.
source "$(dirname "$0")/lib/common.sh"

orders=on
case "${1:-}" in
  "") ;;
  --no-orders) orders=off ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "error: unknown option '$1' (see scripts/run-cluster.sh --help)" >&2; exit 2 ;;
esac

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

# With orders: each node's configuration is its hocon/node-X.conf plus the drill feed and a strategy that trades often.
config_of() {
  if [ "$orders" = off ]; then echo "hocon/node-$1.conf"; return; fi
  local file="run/node-$1/run-cluster.conf"
  cat >"$file" <<EOF
include "$PWD/hocon/node-$1.conf"
hueyp {
  engine.symbols = ["EURUSD"]
  strategy { timeframe = "M1", fast-period = 2, slow-period = 3, rsi-period = 3, atr-period = 3 }
  policy.min-confidence = 0.0
  pre-trade { max-orders-per-minute = 100000, max-orders-per-minute-per-symbol = 100000 }
  cluster.drill-feed { file = "$PWD/data/fx/EURUSD_ticks_2020-01-30.csv.gz", ticks-per-second = 500 }
}
EOF
  echo "$file"
}

for node in a b; do
  mkdir -p "run/node-$node"
  dotnet "$dll" node run --config "$(config_of $node)" >"run/node-$node/console.log" 2>&1 &
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
  # The projection each node keeps warm from the journal counts the orders (the standby's too).
  count=$( (echo "$a"; echo "$b") | field "    " orders | sort -n | tail -n 1)
  line="active: ${holder:-unknown}${epoch:+ (epoch $epoch)}; node-a $(echo "$a" | field "  " role), node-b $(echo "$b" | field "  " role)${count:+; orders in the journal: $count}"
  if [ "$line" != "$last" ]; then echo "$(date +%H:%M:%S) $line"; last="$line"; fi
  sleep 2
done
