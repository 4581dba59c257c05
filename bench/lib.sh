# Sourced (from the repository root) by the bench scripts that open pages in Debian's Chromium through Playwright.
# Sets pw_dir (the Playwright driver the test build ships; its package/ is playwright-core) and node (the Node.js it
# ships), and, through bench/scratch.sh, work and app_pid.
pw_dir="$(ls -d VideoTracker.Tests/bin/*/net10.0/.playwright 2>/dev/null | head -1 || true)"
if [ -z "$pw_dir" ]; then
  echo "No Playwright driver under VideoTracker.Tests/bin: build the tests first (dotnet build VideoTracker.Tests -c Release)." >&2
  exit 1
fi
node="$pw_dir/node/linux-x64/node"
command -v ffmpeg >/dev/null || { echo "ffmpeg is needed: apt-get install ffmpeg" >&2; exit 1; }
source bench/scratch.sh
