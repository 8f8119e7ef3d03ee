#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser tests when /usr/bin/chromium is missing.
# The tests drive this browser through Microsoft.Playwright with its executable path; Playwright never downloads one.
# Usage: scripts/lib/chromium.sh   (prints the browser's version; exit 1 with a clear message when it cannot install)
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..." >&2
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=(); elif command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
    echo "error: /usr/bin/chromium is missing and this user cannot run apt-get (not root, no sudo); install the chromium package" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "error: apt-get could not install chromium; the dashboard's browser tests need /usr/bin/chromium" >&2
    exit 1
  fi
fi
/usr/bin/chromium --version 2>/dev/null || { echo "error: /usr/bin/chromium does not run" >&2; exit 1; }
