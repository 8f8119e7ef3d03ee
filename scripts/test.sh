#!/usr/bin/env bash
# Every test in the solution, PostgreSQL ones included.
# PostgreSQL: uses $HUEYP_TEST_PG when set; otherwise installs Debian's postgresql if missing, starts a throwaway
# cluster on a free loopback port, and stops it afterwards. No server means a failed run, never silently skipped tests.
source "$(dirname "$0")/lib/common.sh"

pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -z "${HUEYP_TEST_PG:-}" ]; then
  pg_dir="$(mktemp -d /tmp/hueyp-pg.XXXXXX)"
  if ! HUEYP_TEST_PG="$(scripts/pg.sh start "$pg_dir" | tail -n 1)" || [ -z "$HUEYP_TEST_PG" ]; then
    echo "error: could not start a throwaway PostgreSQL (see above); set HUEYP_TEST_PG to a server's connection string instead" >&2
    exit 1
  fi
  export HUEYP_TEST_PG
  echo "PostgreSQL for tests: $HUEYP_TEST_PG"
fi

# Debian's chromium for the dashboard's browser tests (installed with apt when /usr/bin/chromium is missing).
scripts/lib/chromium.sh >/dev/null

echo "Building (Release)..."
dotnet build HueyP.sln -c Release -nologo -v quiet -clp:ErrorsOnly

log="$(mktemp /tmp/hueyp-test.XXXXXX.log)"
set +e
# Minimal: one line per assembly, and for a failed test its message and stack trace (quiet printed only its name).
dotnet test HueyP.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test assemblies, so CI and people see the total at a glance.
awk '
  /Failed:[[:space:]]*[0-9]+, Passed:[[:space:]]*[0-9]+/ {
    line = $0
    gsub(/,/, " ", line)
    n = split(line, w, /[[:space:]]+/)
    for (i = 1; i < n; i++) {
      if (w[i] == "Failed:") f += w[i+1]
      if (w[i] == "Passed:") p += w[i+1]
      if (w[i] == "Skipped:") s += w[i+1]
    }
    assemblies++
  }
  END {
    if (assemblies == 0) { print "0 passed, 1 failed"; exit }
    printf "%d passed, %d failed, %d skipped\n", p, f, s
  }' "$log"
rm -f "$log"
exit "$status"
