#!/usr/bin/env bash
# Runs every test: unit, API, detection, bUnit, end-to-end in Debian's Chromium, crash recovery with a
# real child process, tests against a throwaway PostgreSQL server, and a smoke test of the published
# single-file executable. Installs what the tests need when it is missing (OpenCV's GTK dependency, ffmpeg,
# chromium, postgresql, sqlite3 for the backup test, and faketime for the clock-skew tests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
source scripts/postgres.sh
ensure_apt_packages libgtk-3-0 ffmpeg chromium postgresql sqlite3 faketime
# A throwaway cluster in a temp folder (VT_TEST_POSTGRES), stopped and removed on any exit.
trap stop_throwaway_postgres EXIT
start_throwaway_postgres
use_shared_model_if_present
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
set +e
dotnet test VideoTracker.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The API tests (and the admin-lock tests) once more on PostgreSQL: VideoTrackerAppFactory gives each test class a fresh database there.
if [ "$status" -eq 0 ] && [ "${SKIP_POSTGRES_API:-}" != "1" ]; then
    echo "API tests on PostgreSQL (VT_TEST_PROVIDER=Postgres):"
    VT_TEST_PROVIDER=Postgres dotnet test VideoTracker.Tests -c Release --no-build \
        --filter "FullyQualifiedName~VideoTracker.Tests.Api.|FullyQualifiedName~VideoTracker.Tests.Accounts.ConcurrentAdminChangeTests|FullyQualifiedName~VideoTracker.Tests.Accounts.LastAdminTests" --logger "console;verbosity=normal" 2>&1 | tee -a "$log"
    status=${PIPESTATUS[0]}
fi
# The single-file executable: published, started alone from an empty folder, and asked /health/ready and /.
if [ "$status" -eq 0 ] && [ "${SKIP_PUBLISH_SMOKE:-}" != "1" ]; then
    bash scripts/publish-smoke.sh 2>&1 | tee -a "$log"
    status=${PIPESTATUS[0]}
fi
set -e
# One plain closing line that any reader understands.
awk '/^(Passed|Failed)!/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     /^ +Passed: +[0-9]+$/ { p += $2 } /^ +Failed: +[0-9]+$/ { f += $2 } /^ +Skipped: +[0-9]+$/ { s += $2 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
