#!/usr/bin/env bash
# The main job on the embedded default: the shipped real market data (April 2025 EURUSD and GBPUSD, 1-minute bid/ask
# bars; data/README.md) replayed through the decision pipeline on the data's own clock, printing what it decided.
# Decision records go to run/decisions.jsonl; the closing hash is the same on every run over the same data.
# Extra arguments go to `hueyp replay`, e.g. scripts/run.sh --from 2025-04-07 --to 2025-04-12
source "$(dirname "$0")/lib/common.sh"
echo "Building hueyp (Release)..." >&2
dotnet build src/HueyP.Node -c Release -nologo -v quiet -clp:ErrorsOnly >&2
mkdir -p run
exec dotnet src/HueyP.Node/bin/Release/net10.0/hueyp.dll replay --data data/fx/EURUSD_M1_BID_2025-04.csv.gz data/fx/EURUSD_M1_ASK_2025-04.csv.gz data/fx/GBPUSD_M1_BID_2025-04.csv.gz data/fx/GBPUSD_M1_ASK_2025-04.csv.gz --symbols EURUSD,GBPUSD --records run/decisions.jsonl "$@"
