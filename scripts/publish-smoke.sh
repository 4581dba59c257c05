#!/usr/bin/env bash
# Publishes the single-file executable, copies ONLY that file into an empty folder, starts it on a
# free loopback port and checks that /health/ready and / answer.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'kill "${app:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
bash scripts/publish.sh "$work/publish" >/dev/null
mkdir "$work/run" && cp "$work/publish/VideoTracker.App" "$work/run/"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
(cd "$work/run" && ASPNETCORE_URLS="http://127.0.0.1:$port" DOTNET_BUNDLE_EXTRACT_BASE_DIR="$work/extract" exec ./VideoTracker.App >"$work/app.log" 2>&1) &
app=$!
for _ in $(seq 150); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 && break; sleep 0.2; done
ready="$(curl -fs "http://127.0.0.1:$port/health/ready")" || { echo "publish smoke: /health/ready failed"; cat "$work/app.log"; exit 1; }
home="$(curl -fsL "http://127.0.0.1:$port/")" || { echo "publish smoke: / failed"; cat "$work/app.log"; exit 1; }
css="$(curl -fs "http://127.0.0.1:$port/_content/MudBlazor/MudBlazor.min.css" | wc -c)"
grep -q '"status":"healthy"' <<<"$ready" || { echo "publish smoke: not ready: $ready"; exit 1; }
grep -qi 'VideoTracker' <<<"$home" || { echo "publish smoke: / did not render the app"; exit 1; }
[ "$css" -gt 1000 ] || { echo "publish smoke: MudBlazor's stylesheet was not served from the bundle"; exit 1; }
grep -q '/setup?code=' "$work/app.log" || { echo "publish smoke: a fresh start printed no setup link"; cat "$work/app.log"; exit 1; }
[ -f "$work/run/data/videotracker.db" ] || { echo "publish smoke: no database under ./data beside the executable"; exit 1; }
echo "publish smoke: ok ($(du -h "$work/run/VideoTracker.App" | cut -f1) single file; /health/ready healthy; / redirects to the sign-in page; setup link printed; static assets served)"
