# Shared by the scripts: fail early and clearly when the .NET SDK is missing.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK (dotnet, version 10) is not on PATH. Install it first: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi
