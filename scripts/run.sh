#!/usr/bin/env bash
# The main job on the embedded default: a node on SQLite with the paper broker (hocon/paper.conf).
# Until the engine lands (issues 5 and 6) it starts the node, prints its actor tree and stops it in order.
# Extra arguments go to `hueyp node run`, e.g. scripts/run.sh --config hocon/my.conf
source "$(dirname "$0")/lib/common.sh"
echo "Building hueyp (Release)..." >&2
dotnet build src/HueyP.Node -c Release -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet src/HueyP.Node/bin/Release/net10.0/hueyp.dll node run --config hocon/paper.conf --once "$@"
