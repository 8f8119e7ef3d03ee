#!/usr/bin/env bash
# scripts/bench.sh NAME — runs one benchmark and prints one JSON object on stdout (progress goes to stderr).
# Names: actors, journal, pipeline, orders (see docs/operations.md).
source "$(dirname "$0")/lib/common.sh"
if [ $# -lt 1 ]; then
  echo "usage: scripts/bench.sh NAME [options]   (NAME: actors | journal | pipeline | orders)" >&2
  exit 2
fi
dotnet build bench/HueyP.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet bench/HueyP.Benchmarks/bin/Release/net10.0/HueyP.Benchmarks.dll "$@"
