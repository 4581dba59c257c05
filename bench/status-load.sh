#!/usr/bin/env bash
# Load benchmark of the status endpoint, side by side with a trivial endpoint of the same server.
# Usage: bash bench/status-load.sh [clip] [seconds] [connections]
# Starts the Release build on a free loopback port with a temp data folder, keeps a job running,
# then runs wrk against GET /v1/video/status/{id} and GET /health/live and prints rps, p99 and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_apt_packages libgtk-3-0 wrk curl
clip="${1:-../shared/samples/vtest.avi}"
seconds="${2:-10}"
connections="${3:-64}"
data="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
dotnet build VideoTracker.App -c Release -v q -nologo >/dev/null
(cd VideoTracker.App/bin/Release/net10.0 && ASPNETCORE_URLS="http://127.0.0.1:$port" Storage__DataDirectory="$data" \
    Logging__LogLevel__Default=Warning exec dotnet VideoTracker.App.dll >"$data/app.log" 2>&1) &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.2; done
submit() { curl -fs -F "file=@$clip" -F plugin_id=opencv-classic -F tool=video_motion_detection "http://127.0.0.1:$port/v1/video/submit" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])'; }
job="$(submit)"; for _ in 1 2 3; do submit >/dev/null; done   # keep the worker and the database busy meanwhile
run() { wrk -t2 -c"$connections" -d"${seconds}s" --latency "$1" | awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {print rps, p99}'; }
read -r status_rps status_p99 <<<"$(run "http://127.0.0.1:$port/v1/video/status/$job")"
read -r live_rps live_p99 <<<"$(run "http://127.0.0.1:$port/health/live")"
state="$(curl -fs "http://127.0.0.1:$port/v1/video/status/$job" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["progress"])')"
locked="$(grep -ci 'database is locked' "$data/app.log" || true)"
printf '%-28s %12s %10s\n' endpoint "requests/s" p99
printf '%-28s %12s %10s\n' "GET /v1/video/status/{id}" "$status_rps" "$status_p99"
printf '%-28s %12s %10s\n' "GET /health/live (trivial)" "$live_rps" "$live_p99"
python3 - "$status_rps" "$live_rps" <<'PY'
import sys
s, l = map(float, sys.argv[1:3])
print(f"status / trivial throughput ratio: {s / l:.2f}")
PY
echo "job during the run: $state; 'database is locked' in the log: $locked; $connections connections, ${seconds}s each, 2 cores shared by server and wrk"
