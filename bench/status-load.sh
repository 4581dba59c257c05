#!/usr/bin/env bash
# Load benchmark of the status endpoint, side by side with a trivial endpoint of the same server, while a job runs.
# Usage: bash bench/status-load.sh [--postgres] [seconds] [connections]
# Starts the Release build on a free loopback port with a temp data folder (and, with --postgres, a throwaway
# PostgreSQL cluster from scripts/postgres.sh), makes a long clip from ../shared/samples/vtest.avi with ffmpeg
# (looped, stream copy, in the temp folder: never committed) and keeps a motion-detection job on it running,
# then runs wrk against GET /v1/video/status/{id} and GET /health/live and prints rps, p99 and the ratio.
# The job must still be running after both wrk runs, or the figures are refused.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
source scripts/postgres.sh
provider=Sqlite
if [ "${1:-}" = "--postgres" ]; then provider=Postgres; shift; fi
seconds="${1:-10}"
connections="${2:-64}"
loops="${LOOPS:-40}"   # vtest.avi is 795 frames; 40 loops keep one job busy for minutes on 2 cores
ensure_apt_packages libgtk-3-0 wrk curl ffmpeg
[ "$provider" = Postgres ] && ensure_apt_packages postgresql
data="$(mktemp -d)"
key="bench-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
app=""
cleanup() {
    [ -n "$app" ] && { kill "$app" 2>/dev/null; wait "$app" 2>/dev/null || true; }
    stop_throwaway_postgres
    rm -rf "$data"
}
trap cleanup EXIT
settings=(Database__Provider="$provider")
if [ "$provider" = Postgres ]; then
    start_throwaway_postgres
    settings+=(ConnectionStrings__Postgres="$VT_TEST_POSTGRES")
fi
clip="$data/long.avi"
ffmpeg -v error -stream_loop "$((loops - 1))" -i ../shared/samples/vtest.avi -c copy "$clip"
port="$(free_loopback_port)"
dotnet build VideoTracker.App -c Release -v q -nologo >/dev/null
(cd VideoTracker.App/bin/Release/net10.0 && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" Storage__DataDirectory="$data/app" \
    Security__ApiKey="$key" Jobs__PreparePreview=false Logging__LogLevel__Default=Warning "${settings[@]}" \
    dotnet VideoTracker.App.dll >"$data/app.log" 2>&1) &
app=$!
base="http://127.0.0.1:$port"
for _ in $(seq 300); do curl -fs "$base/health/live" >/dev/null && break; sleep 0.2; done
status_of() { curl -fs -H "X-Api-Key: $key" "$base/v1/video/status/$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["progress"], d["current_frame"])'; }
job="$(curl -fs -H "X-Api-Key: $key" -F "file=@$clip" -F plugin_id=opencv-classic -F tool=video_motion_detection "$base/v1/video/submit" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')"
for _ in $(seq 300); do [ "$(status_of "$job" | cut -d' ' -f1)" = running ] && break; sleep 0.2; done
before="$(status_of "$job")"
run() { wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "X-Api-Key: $key" "$1" | awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {print rps, p99, bad+0}'; }
# Warm both endpoints first (JIT, the query's first compile, the connections), so the figures are steady-state.
for url in "$base/v1/video/status/$job" "$base/health/live"; do wrk -t1 -c8 -d2s -H "X-Api-Key: $key" "$url" >/dev/null; done
read -r status_rps status_p99 status_bad <<<"$(run "$base/v1/video/status/$job")"
read -r live_rps live_p99 live_bad <<<"$(run "$base/health/live")"
after="$(status_of "$job")"
locked="$(grep -ci 'database is locked' "$data/app.log" || true)"
printf '%-28s %12s %10s %8s\n' "endpoint ($provider)" "requests/s" p99 non-2xx
printf '%-28s %12s %10s %8s\n' "GET /v1/video/status/{id}" "$status_rps" "$status_p99" "$status_bad"
printf '%-28s %12s %10s %8s\n' "GET /health/live (trivial)" "$live_rps" "$live_p99" "$live_bad"
python3 - "$status_rps" "$live_rps" <<'PY'
import sys
s, l = map(float, sys.argv[1:3])
print(f"status / trivial throughput ratio: {s / l:.2f}")
PY
echo "job (status progress current_frame) before wrk: $before; after both runs: $after"
echo "'database is locked' in the log: $locked; $connections connections, ${seconds}s each, 2 cores shared by server, job and wrk"
if [ "${after%% *}" != running ] || [ "$status_bad" != 0 ] || [ "$live_bad" != 0 ]; then
    echo "Not a valid run: the job must still be running after both wrk runs and every answer must be 2xx." >&2
    exit 1
fi
