// Draws a job's detections (boxes, class names, track ids) on a canvas over its video, in step with
// playback. The detections come from the job's results document; frames are matched by timestamp.
const palette = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324"];

function colorFor(detection) {
    const key = detection.track_id ?? detection.class_id ?? 0;
    return palette[Math.abs(key) % palette.length];
}

// The last analysed frame at or before t (ms), held only for the usual gap between analysed frames
// (a frame stride), so nothing is drawn past the end of a max_frames job. Frames are sorted by time.
function frameAt(frames, t, hold) {
    let lo = 0, hi = frames.length - 1, found = -1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (frames[mid].timestamp_ms <= t + 1) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && t - frames[found].timestamp_ms <= hold ? frames[found] : null;
}

// How long one analysed frame stays on screen: 1.5 × the typical gap between analysed frames.
function holdFor(frames) {
    if (frames.length < 2) {
        return 200;
    }
    const span = frames[frames.length - 1].timestamp_ms - frames[0].timestamp_ms;
    return Math.max(50, 1.5 * span / (frames.length - 1));
}

export function attach(video, canvas, resultsUrl, dotnet) {
    let frames = [];
    let hold = 200;
    let disposed = false;
    let callbackId = null;

    const unavailable = () => {
        if (!disposed) {
            dotnet.invokeMethodAsync("OnVideoUnavailable");
        }
    };
    video.addEventListener("error", unavailable);
    if (video.error) {
        unavailable();
    }

    const draw = () => {
        if (!canvas || disposed || !video.videoWidth) {
            return;
        }
        if (canvas.width !== video.videoWidth || canvas.height !== video.videoHeight) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
        }
        const ctx = canvas.getContext("2d");
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        const frame = frameAt(frames, video.currentTime * 1000, hold);
        if (!frame) {
            return;
        }
        const scale = Math.max(1, canvas.width / 640);
        ctx.lineWidth = 2 * scale;
        ctx.font = `${Math.round(12 * scale)}px sans-serif`;
        ctx.textBaseline = "top";
        for (const d of frame.detections) {
            const [x1, y1, x2, y2] = d.xyxy;
            const color = colorFor(d);
            ctx.strokeStyle = color;
            ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
            const label = d.track_id == null ? d.class_name : `${d.class_name} #${d.track_id}`;
            const width = ctx.measureText(label).width + 6 * scale;
            const height = 16 * scale;
            const top = y1 - height >= 0 ? y1 - height : y1;
            ctx.fillStyle = color;
            ctx.fillRect(x1, top, width, height);
            ctx.fillStyle = "#fff";
            ctx.fillText(label, x1 + 3 * scale, top + 2 * scale);
        }
    };

    // requestVideoFrameCallback follows the frames actually shown; timeupdate/seeked cover the rest.
    const onFrame = () => {
        draw();
        if (!disposed && video.requestVideoFrameCallback) {
            callbackId = video.requestVideoFrameCallback(onFrame);
        }
    };
    const events = ["loadedmetadata", "seeked", "timeupdate", "play", "pause"];
    if (canvas) {
        events.forEach((e) => video.addEventListener(e, draw));
        if (video.requestVideoFrameCallback) {
            callbackId = video.requestVideoFrameCallback(onFrame);
        }
        fetch(resultsUrl, { credentials: "same-origin" })
            .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
            .then((doc) => {
                frames = (doc.results?.frames ?? []).slice().sort((a, b) => a.timestamp_ms - b.timestamp_ms);
                hold = holdFor(frames);
                draw();
            })
            .catch(() => { frames = []; });
    }

    return {
        dispose() {
            disposed = true;
            video.removeEventListener("error", unavailable);
            events.forEach((e) => video.removeEventListener(e, draw));
            if (callbackId !== null && video.cancelVideoFrameCallback) {
                video.cancelVideoFrameCallback(callbackId);
            }
        },
    };
}
