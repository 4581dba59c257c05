#!/usr/bin/env bash
# Starts VideoTracker on http://localhost:5000 (override with ASPNETCORE_URLS), with its SQLite
# database and uploads under ./data. Installs the native libraries it needs when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_apt_packages libgtk-3-0 ffmpeg
use_shared_model_if_present
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5000}"
export Storage__DataDirectory="${Storage__DataDirectory:-$PWD/data}"
if [ ! -f "$Storage__DataDirectory/videotracker.db" ] && [ -z "${Auth__InitialAdmin__Username:-}" ]; then
    echo "First start: once the app is up, the log shows a one-time link such as $ASPNETCORE_URLS/setup?code=…" >&2
    echo "Open it to create the first admin (see README, Accounts and access)." >&2
fi
exec dotnet run --project VideoTracker.App -c Release --no-launch-profile
