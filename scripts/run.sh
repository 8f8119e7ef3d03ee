#!/usr/bin/env bash
# The main job on the embedded default: the shipped real market data (April 2025 EURUSD and GBPUSD, 1-minute bid/ask
# bars; data/README.md) replayed through the decision pipeline on the data's own clock, with orders filled by the
# seeded paper broker and booked in the ledger, all journaled to a new SQLite file under run/. It prints what it
# decided and traded; the decision hash and the state hash are the same on every run over the same data.
# It logs through Serilog to run/logs/ and writes run/manifest.json (hocon/paper.conf).
# Afterwards: scripts/hueyp report --db <that file>, scripts/hueyp state rebuild --db <that file>.
# While it runs, the node's dashboard shows the replay live: the first line printed is its address
# ("dashboard: http://127.0.0.1:9110/ (token: run/admin.token)"; a free port when 9110 is taken). The script ends
# by itself when the replay is done; add --serve to keep the dashboard up on the final state until Ctrl-C.
# Extra arguments go to `hueyp replay`, e.g. scripts/run.sh --from 2025-04-07 --to 2025-04-12
source "$(dirname "$0")/lib/common.sh"
echo "Building hueyp (Release)..." >&2
dotnet build src/HueyP.Node -c Release -nologo -v quiet -clp:ErrorsOnly >&2
mkdir -p run
db="run/replay-$(date -u +%Y%m%dT%H%M%SZ).db"
exec dotnet src/HueyP.Node/bin/Release/net10.0/hueyp.dll replay --config hocon/paper.conf --db "$db" --data data/fx/EURUSD_M1_BID_2025-04.csv.gz data/fx/EURUSD_M1_ASK_2025-04.csv.gz data/fx/GBPUSD_M1_BID_2025-04.csv.gz data/fx/GBPUSD_M1_ASK_2025-04.csv.gz --symbols EURUSD,GBPUSD --records run/decisions.jsonl --dashboard "$@"
