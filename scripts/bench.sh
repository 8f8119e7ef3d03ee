#!/usr/bin/env bash
# scripts/bench.sh NAME [options] — runs one benchmark and prints one JSON object on stdout (progress goes to stderr).
# Names: actors, journal, pipeline, orders (docs/operations.md). Run on a quiet machine: the JSON records the load.
# journal and orders also measure PostgreSQL: $HUEYP_BENCH_PG when set, else a throwaway server (scripts/pg.sh).
source "$(dirname "$0")/lib/common.sh"
if [ $# -lt 1 ]; then
  echo "usage: scripts/bench.sh NAME [options]   (NAME: actors | journal | pipeline | orders | bridge | failover)" >&2
  exit 2
fi

pg_dir=""
cleanup() { if [ -n "$pg_dir" ]; then scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT
case "$1" in
  journal|orders|failover)
    if [ -z "${HUEYP_BENCH_PG:-}" ]; then
      pg_dir="$(mktemp -d /tmp/hueyp-bench-pg.XXXXXX)"
      HUEYP_BENCH_PG="$(scripts/pg.sh start "$pg_dir" | tail -n 1)" || { echo "error: could not start PostgreSQL for the benchmark" >&2; exit 1; }
      export HUEYP_BENCH_PG
    fi
    ;;
esac

dotnet build bench/HueyP.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
# The failover benchmark kills and starts real node processes.
if [ "$1" = failover ]; then dotnet build src/HueyP.Node -c Release -nologo -v quiet -clp:ErrorsOnly >&2; fi
dotnet bench/HueyP.Benchmarks/bin/Release/net10.0/HueyP.Benchmarks.dll "$@"
