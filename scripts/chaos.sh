#!/usr/bin/env bash
# scripts/chaos.sh [SUITE] [--seed N] [--crashes N] [--days N] [--targets a,b]
# The chaos suites at full size, seeded: prints one JSON object with the counts of every run on stdout (build and test
# output go to stderr) and exits non-zero when any run lost a signal, sent an order twice or ended on another ledger.
#   engine (default)  every actor type of the engine tree crashed repeatedly during a replay with orders
#                     (tests/HueyP.Engine.Tests/Chaos); --crashes per actor type, phase and plan, --days of April 2025
#   bridge            the socket killed (closed, stalled, corrupted) during EA-simulator sessions, --crashes*10 rounds;
#                     then the seeded frame fuzzer at 1M frames (tests/HueyP.Bridge.Tests)
#   cluster           kill -9 of the active node while orders flow, --crashes*10 cycles (or HUEYP_CLUSTER_CYCLES), two
#                     real node processes on PostgreSQL trading through a third, `hueyp ea-sim` (the EA, never killed),
#                     every cycle checked: nothing acknowledged lost, journal verify, state rebuild, no client order id
#                     executed twice by the EA, every acknowledged order sent received by it
#                     (tests/HueyP.Cluster.Tests; starts a throwaway PostgreSQL unless HUEYP_TEST_PG is set)
# The same tests run CI-sized in scripts/test.sh. Set HUEYP_ARTIFACTS to build into another artifacts path.
source "$(dirname "$0")/lib/common.sh"

suite="engine"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then suite="$1"; shift; fi
seed=7 crashes=10 days=5 targets=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --crashes) crashes="${2:?--crashes needs a number}"; shift 2 ;;
    --days) days="${2:?--days needs a number}"; shift 2 ;;
    --targets) targets="${2:?--targets needs a comma-separated list}"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) echo "error: unknown option '$1' (see scripts/chaos.sh --help)" >&2; exit 2 ;;
  esac
done
for v in "$seed" "$crashes" "$days"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "error: '$v' is not a positive whole number" >&2; exit 2; }
done
if [ "$days" -gt 29 ]; then echo "error: --days $days: the shipped data is April 2025 (at most 29 days from April 1)" >&2; exit 2; fi

artifacts=()
if [ -n "${HUEYP_ARTIFACTS:-}" ]; then artifacts=(--artifacts-path "$HUEYP_ARTIFACTS"); fi

# Runs the tests of one suite with the chaos settings and prints {"suite":..., "ok":..., "runs":[...]}.
run_tests() {
  local name="$1" project="$2" filter="$3"
  local out log
  out="$(mktemp /tmp/hueyp-chaos.XXXXXX.jsonl)"
  log="$(mktemp /tmp/hueyp-chaos.XXXXXX.log)"
  dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly "${artifacts[@]}" >&2
  set +e
  HUEYP_CHAOS_SEED="$seed" HUEYP_CHAOS_CRASHES="$crashes" HUEYP_CHAOS_DAYS="$days" HUEYP_CHAOS_TARGETS="$targets" HUEYP_CHAOS_OUT="$out" \
    dotnet test "$project" -c Release --no-build -nologo "${artifacts[@]}" --filter "$filter" --logger "console;verbosity=normal" >"$log" 2>&1
  local status=$?
  set -e
  grep -E "Passed|Failed|Skipped|Assert" "$log" >&2 || true
  # What failed, with the message (on the lines after its header) and the first frames of its stack.
  grep -A 12 "Error Message" "$log" >&2 || true
  local runs
  runs="$(paste -sd, "$out")"
  local ok=true
  [ "$status" -eq 0 ] || ok=false
  printf '{"suite":"%s","seed":%s,"crashes_per_target":%s,"days":%s,"ok":%s,"runs":[%s]}\n' "$name" "$seed" "$crashes" "$days" "$ok" "$runs"
  rm -f "$out"
  if [ "$status" -eq 0 ]; then rm -f "$log"; else echo "test log kept: $log" >&2; fi
  return "$status"
}

case "$suite" in
  engine)
    run_tests engine tests/HueyP.Engine.Tests "FullyQualifiedName~HueyP.Engine.Tests.Chaos"
    ;;
  bridge)
    export HUEYP_CHAOS_ROUNDS=$((crashes * 10)) HUEYP_FUZZ_FRAMES=1000000 HUEYP_FUZZ_SEED="$seed"
    run_tests bridge tests/HueyP.Bridge.Tests "FullyQualifiedName~SocketChaos|FullyQualifiedName~FrameFuzzer"
    ;;
  cluster)
    pg_dir=""
    trap '[ -z "$pg_dir" ] || scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
    if [ -z "${HUEYP_TEST_PG:-}" ]; then
      pg_dir="$(mktemp -d /tmp/hueyp-pg.XXXXXX)"
      HUEYP_TEST_PG="$(scripts/pg.sh start "$pg_dir" | tail -n 1)"
      export HUEYP_TEST_PG
    fi
    dotnet build src/HueyP.Node -c Release -nologo -v quiet -clp:ErrorsOnly "${artifacts[@]}" >&2
    export HUEYP_CLUSTER_CYCLES="${HUEYP_CLUSTER_CYCLES:-$((crashes * 10))}"
    # One line per cycle (timings, events linked) to stderr as the run goes, kept should the run fail.
    HUEYP_CLUSTER_PROGRESS="$(mktemp /tmp/hueyp-chaos-cluster.XXXXXX.log)"
    export HUEYP_CLUSTER_PROGRESS
    tail -n +1 -F "$HUEYP_CLUSTER_PROGRESS" >&2 2>/dev/null &
    progress_pid=$!
    trap '[ -z "$pg_dir" ] || scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true; kill "$progress_pid" 2>/dev/null || true' EXIT
    status=0
    run_tests cluster tests/HueyP.Cluster.Tests "FullyQualifiedName~kill_minus_9" || status=$?
    sleep 1
    if [ "$status" -eq 0 ]; then rm -f "$HUEYP_CLUSTER_PROGRESS"; else echo "cycle log kept: $HUEYP_CLUSTER_PROGRESS" >&2; fi
    exit "$status"
    ;;
  *)
    echo "error: unknown suite '$suite' (engine | bridge | cluster)" >&2
    exit 2
    ;;
esac
