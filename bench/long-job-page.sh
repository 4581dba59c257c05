#!/usr/bin/env bash
# The job page for a long job and for vtest.avi, side by side on one app on loopback: bytes transferred,
# time to interactive (chart drawn), seek to the middle until boxes show, and the server's resident memory
# before and after each page. The long job (default 100,000 frames x 10 detections at 30 fps) is written by
# the real job runner and results writer (VideoTracker.Benchmarks make-job --synthetic-frames); its preview
# is a generated H.264 clip of the same length (never committed). Targets: <= 5 MB, <= 2 s, <= 300 ms, and
# memory that does not grow with the job's length.
# Usage: bash bench/long-job-page.sh [frames, default 100000] [detections, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
frames="${1:-100000}"
detections="${2:-10}"
shared="$(cd .. && pwd)/shared"
bench="dotnet VideoTracker.Benchmarks/bin/Release/net10.0/VideoTracker.Benchmarks.dll"
app_dll="VideoTracker.App/bin/Release/net10.0/VideoTracker.App.dll"
source bench/lib.sh

seconds=$(( (frames + 29) / 30 ))
clip="${TMPDIR:-/tmp}/videotracker-bench-long-${seconds}s.mp4"  # generated once, reused, never committed
if [ ! -s "$clip" ]; then
  echo "generating a ${seconds}s 320x180 H.264 clip for the long job's preview"
  ffmpeg -loglevel error -f lavfi -i "testsrc=size=320x180:rate=30" -t "$seconds" -c:v libx264 -preset ultrafast -g 30 -pix_fmt yuv420p -movflags +faststart "$clip.part.mp4"
  mv "$clip.part.mp4" "$clip"
fi
cp "$clip" "$work/long.mp4"

long_id=$($bench make-job "$work/data" "$work/long.mp4" --synthetic-frames "$frames" --detections "$detections" --fps 30 | tail -1)
jobdir() { echo "$work/data/jobs/${1//-/}"; }
cp "$work/long.mp4" "$(jobdir "$long_id")/preview.mp4"
vtest_id=$($bench make-job "$work/data" "$shared/samples/vtest.avi" --model "$shared/models/yolox_nano.onnx" --tool video_player_tracking | tail -1)
echo "results on disk: long job $(du -sh "$(jobdir "$long_id")/results" | cut -f1), vtest $(du -sh "$(jobdir "$vtest_id")/results" | cut -f1)"

port=5091
# Accounts off (the app refuses that beyond loopback): the browser here is the only user.
dotnet "$app_dll" --urls "http://127.0.0.1:$port" --Storage:DataDirectory="$work/data" --Storage:MinFreeBytes=0 \
  --Detection:ModelPath="$shared/models/yolox_nano.onnx" --Detection:ModelUrl= --Auth:Enabled=false >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 || curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 1; done
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$app_pid/status"; }
for id in "$vtest_id" "$long_id" "$vtest_id" "$long_id"; do
  before=$(rss)
  "$node" bench/job-page.js "$PWD/$pw_dir/package" "http://127.0.0.1:$port" "$id"
  echo "  server RSS $before -> $(rss)"
done
