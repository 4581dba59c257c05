#!/usr/bin/env bash
# Publishes VideoTracker as one self-contained linux-x64 executable: ./publish/VideoTracker.App
# wwwroot, appsettings.json and the native OpenCV/ONNX Runtime libraries travel inside the file.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-publish}"
dotnet publish VideoTracker.App -c Release -r linux-x64 --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:IncludeAllContentForSelfExtract=true \
    -p:DebugType=none -o "$out" -v q -nologo
echo "$out/VideoTracker.App"
