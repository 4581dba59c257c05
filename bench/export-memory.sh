#!/usr/bin/env bash
# The server's memory while it writes each export of a long job: for every format (and the ZIP of all), a fresh app on
# loopback serves one download, and the script prints how far its peak resident memory (VmHWM) rose above what it was
# once started and warm, with the bytes and the seconds. Two long jobs, written by the real job runner and results
# writer (VideoTracker.Benchmarks make-job --synthetic-frames): one with track ids (as tracking writes them) and one
# without (as detection writes them). Target: the rise does not grow with the job's length; compare two lengths.
# Usage: bash bench/export-memory.sh [frames, default 100000] [detections, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
frames="${1:-100000}"
detections="${2:-10}"
bench="dotnet VideoTracker.Benchmarks/bin/Release/net10.0/VideoTracker.Benchmarks.dll"
app_dll="VideoTracker.App/bin/Release/net10.0/VideoTracker.App.dll"
source bench/scratch.sh

ffmpeg -loglevel error -f lavfi -i "testsrc=size=320x180:rate=30" -t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$work/clip.mp4"
tracked_id=$($bench make-job "$work/data" "$work/clip.mp4" --synthetic-frames "$frames" --detections "$detections" --fps 30 | tail -1)
untracked_id=$($bench make-job "$work/data" "$work/clip.mp4" --synthetic-frames "$frames" --detections "$detections" --fps 30 --untracked | tail -1)
echo "$frames frames x $detections detections; results on disk: $(du -sh "$work/data/jobs/${tracked_id//-/}/results" | cut -f1) a job"

port=5093
hwm() { awk '/VmHWM/ {print int($2/1024)}' "/proc/$app_pid/status"; }
for id in "$tracked_id" "$untracked_id"; do
  [ "$id" = "$tracked_id" ] && kind="with track ids" || kind="without track ids"
  for format in json csv mot coco cvat all; do
    # Accounts off (the app refuses that beyond loopback): this script is the only user.
    dotnet "$app_dll" --urls "http://127.0.0.1:$port" --Storage:DataDirectory="$work/data" --Storage:MinFreeBytes=0 \
      --Detection:ModelPath= --Detection:ModelUrl= --Auth:Enabled=false >"$work/app.log" 2>&1 &
    app_pid=$!
    for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
    curl -sf "http://127.0.0.1:$port/v1/jobs/$id" >/dev/null  # warm: the job row, JSON and routing
    before=$(hwm)
    [ "$format" = all ] && url="v1/jobs/$id/export/all" || url="v1/jobs/$id/export?format=$format"
    read -r bytes seconds < <(curl -sf -o /dev/null -w '%{size_download} %{time_total}\n' "http://127.0.0.1:$port/$url")
    printf '%-18s %-5s %6.1f MB in %5.1f s   peak memory +%d MB (%d -> %d MB)\n' "$kind" "$format" \
      "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$seconds" "$(( $(hwm) - before ))" "$before" "$(hwm)"
    kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
  done
done
