#!/usr/bin/env bash
# Compares a large upload through the web page (browser -> POST /ui/upload) with curl -> POST /v1/video/submit,
# both on loopback against a running app. The file is a small valid clip padded with zeros to SIZE, so the
# server's probe accepts it and both paths time the whole transfer plus the same quick acceptance.
# The app must run with accounts off (--Auth:Enabled=false, loopback only): neither path signs in.
# Usage: bash bench/upload-page-vs-curl.sh [base url, default http://127.0.0.1:5000] [size, default 500M] [runs, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-http://127.0.0.1:5000}"
size="${2:-500M}"
runs="${3:-3}"
source bench/lib.sh
ffmpeg -loglevel error -f lavfi -i testsrc=size=320x240:rate=10 -t 10 -c:v mjpeg "$work/big.avi"
truncate -s "$size" "$work/big.avi"
echo "file: $(stat -c %s "$work/big.avi") bytes"
for i in $(seq "$runs"); do
  curl -s -o /dev/null -w "curl %{time_total}s (HTTP %{http_code})\n" \
    -F plugin_id=opencv-classic -F tool=video_motion_detection -F max_frames=1 -F "file=@$work/big.avi" "$base/v1/video/submit"
  "$node" bench/upload-page.js "$PWD/$pw_dir/package" "$base" "$work/big.avi"
done
