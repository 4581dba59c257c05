// Draws a job's detections (boxes, class names, track ids) on a canvas over its video, in step with
// playback. Boxes are in source pixels; they are drawn inside the rectangle where the <video> element
// actually shows the picture (object-fit and object-position respected), so letterboxed, pillarboxed and
// portrait clips line up. Frames are matched by their timestamp_ms against the presented frame's
// mediaTime (requestVideoFrameCallback), so each box stays on its own frame. Results come in windows of
// time around the playhead (from_ms/to_ms, read through the server's frame index): the window on screen,
// the next one prefetched, far ones dropped, so a page costs the same for a 10-second and a 10-hour clip.
const palette = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324"];

function colorFor(detection) {
    const key = detection.track_id ?? detection.class_id ?? 0;
    return palette[Math.abs(key) % palette.length];
}

// The last analysed frame at or before t (ms), held only for the usual gap between analysed frames
// (a frame stride), so nothing is drawn past the end of a max_frames job. Frames are sorted by time.
export function frameAt(frames, t, hold) {
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
        return null;
    }
    const span = frames[frames.length - 1].timestamp_ms - frames[0].timestamp_ms;
    return Math.max(50, 1.5 * span / (frames.length - 1));
}

export const windowMs = 5000;
const keepWindows = 2; // windows this far from the playhead's stay in memory; farther ones are dropped

// The frames of a job, fetched window by window around the playhead.
export function frameWindows(resultsUrl, onLoaded) {
    const windows = new Map(); // window number -> frames (sorted) or null while in flight
    let hold = 200;
    const load = (k) => {
        if (k < 0 || windows.has(k)) {
            return;
        }
        windows.set(k, null);
        const url = `${resultsUrl}?from_ms=${k * windowMs}&to_ms=${(k + 1) * windowMs}`;
        fetch(url, { credentials: "same-origin" })
            .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
            .then((doc) => {
                if (!windows.has(k)) {
                    return; // dropped while in flight
                }
                const frames = (doc.results?.frames ?? []).slice().sort((a, b) => a.timestamp_ms - b.timestamp_ms);
                windows.set(k, frames);
                hold = holdFor(frames) ?? hold;
                onLoaded(k);
            })
            .catch(() => windows.delete(k));
    };
    return {
        get hold() { return hold; },
        // Centres of the bottom edges of a track's boxes in the loaded frames up to t (ms), oldest first: its trail.
        trail(trackId, t) {
            const points = [];
            for (const k of [...windows.keys()].sort((a, b) => a - b)) {
                for (const f of windows.get(k) ?? []) {
                    if (f.timestamp_ms > t + 1) {
                        break;
                    }
                    const d = f.detections.find((x) => x.track_id === trackId);
                    if (d) {
                        points.push([(d.xyxy[0] + d.xyxy[2]) / 2, d.xyxy[3]]);
                    }
                }
            }
            return points;
        },
        // The last n anchor points (source pixels, oldest first) of each track in the frame at t: their trails.
        trails(t, n, anchor, trackIds) {
            const frames = [];
            for (const k of [...windows.keys()].sort((a, b) => b - a)) {
                const loaded = windows.get(k) ?? [];
                for (let i = loaded.length - 1; i >= 0 && frames.length < n; i--) {
                    if (loaded[i].timestamp_ms <= t + 1) {
                        frames.push(loaded[i]);
                    }
                }
                if (frames.length >= n) {
                    break;
                }
            }
            const trails = new Map();
            for (const f of frames.reverse()) {
                for (const d of f.detections) {
                    if (d.track_id != null && trackIds.has(d.track_id)) {
                        if (!trails.has(d.track_id)) {
                            trails.set(d.track_id, []);
                        }
                        trails.get(d.track_id).push(anchorOf(d, anchor));
                    }
                }
            }
            return trails;
        },
        get loaded() { return [...windows.entries()].filter(([, f]) => f).map(([k]) => k); },
        // The frame to draw at t (ms): from the playhead's window, or the last frame of the one before.
        // Makes sure the playhead's window and the next are loaded, and drops far ones.
        at(t) {
            const k = Math.max(0, Math.floor(t / windowMs));
            load(k);
            load(k + 1);
            for (const key of [...windows.keys()]) {
                if (key < k - keepWindows || key > k + keepWindows) {
                    windows.delete(key);
                }
            }
            return frameAt(windows.get(k) ?? [], t, hold) ?? frameAt(windows.get(k - 1) ?? [], t, hold);
        },
    };
}

// One length of object-position ("50%", "12px") along an axis with `free` spare CSS pixels.
function position(value, free) {
    if (value?.endsWith("%")) {
        return free * parseFloat(value) / 100;
    }
    const px = parseFloat(value);
    return Number.isFinite(px) ? px : free / 2;
}

// Where the picture is shown inside the video element's content box, in CSS pixels from its top-left
// corner, and the scale from source pixels to CSS pixels on each axis.
export function contentRect(video) {
    const style = getComputedStyle(video);
    const width = video.clientWidth, height = video.clientHeight;
    const vw = video.videoWidth, vh = video.videoHeight;
    let sx = width / vw, sy = height / vh;
    switch (style.objectFit) {
        case "fill":
            break;
        case "cover":
            sx = sy = Math.max(sx, sy);
            break;
        case "none":
            sx = sy = 1;
            break;
        case "scale-down":
            sx = sy = Math.min(1, sx, sy);
            break;
        default: // contain, the default for <video>
            sx = sy = Math.min(sx, sy);
    }
    const [px, py] = (style.objectPosition || "50% 50%").split(" ");
    const shownWidth = vw * sx, shownHeight = vh * sy;
    return {
        x: position(px, width - shownWidth),
        y: position(py ?? px, height - shownHeight),
        width: shownWidth,
        height: shownHeight,
        scaleX: sx,
        scaleY: sy,
    };
}

// The point of a box that counting uses (the job's anchor option).
export function anchorOf(d, anchor) {
    const [x1, y1, x2, y2] = d.xyxy;
    const x = (x1 + x2) / 2;
    return anchor === "center" ? [x, (y1 + y2) / 2] : anchor === "top_center" ? [x, y1] : [x, y2];
}

// How many of the sorted times are at or before t.
export function countAt(times, t) {
    let lo = 0, hi = times.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (times[mid] <= t + 1) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
}

// Each zone's event times by type, from GET /v1/jobs/{id}/events, for running counts at the playhead.
function zoneEvents(eventsUrl, onLoaded) {
    const byZone = new Map();
    fetch(eventsUrl, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((doc) => {
            for (const e of doc.events ?? []) {
                if (!byZone.has(e.zone)) {
                    byZone.set(e.zone, { in: [], out: [], enter: [], exit: [] });
                }
                byZone.get(e.zone)[e.type]?.push(e.timestamp_ms);
            }
            for (const types of byZone.values()) {
                Object.values(types).forEach((times) => times.sort((a, b) => a - b));
            }
            onLoaded();
        })
        .catch(() => { });
    return (zone, type, t) => countAt(byZone.get(zone)?.[type] ?? [], t);
}

// Lines (with an arrow on their "in" side) and polygons, each labelled with its running count at t.
function drawZones(ctx, zones, countOf, t, px, py) {
    const unit = Math.min(px, py);
    ctx.font = `bold ${13 * py}px sans-serif`;
    for (const z of zones) {
        ctx.strokeStyle = z.color;
        ctx.fillStyle = z.color;
        ctx.lineWidth = 3 * unit;
        ctx.beginPath();
        z.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
        let label;
        if (z.type === "line") {
            ctx.stroke();
            const [[ax, ay], [bx, by]] = z.points;
            const length = Math.hypot(bx - ax, by - ay) || 1;
            const [mx, my] = [(ax + bx) / 2, (ay + by) / 2];
            const [nx, ny] = [-(by - ay) / length, (bx - ax) / length]; // towards s > 0: "in"
            const reach = 18 * unit;
            ctx.beginPath();
            ctx.moveTo(mx, my);
            ctx.lineTo(mx + nx * reach, my + ny * reach);
            ctx.stroke();
            label = `${z.name}: in ${countOf(z.name, "in", t)} · out ${countOf(z.name, "out", t)}`;
        } else {
            ctx.closePath();
            ctx.globalAlpha = 0.15;
            ctx.fill();
            ctx.globalAlpha = 1;
            ctx.stroke();
            const entered = countOf(z.name, "enter", t), exited = countOf(z.name, "exit", t);
            label = `${z.name}: ${entered - exited} inside · ${entered} entered`;
        }
        const [lx, ly] = z.points[0];
        const width = ctx.measureText(label).width + 8 * px;
        const height = 18 * py;
        ctx.fillStyle = "rgba(0, 0, 0, 0.6)";
        ctx.fillRect(lx, ly, width, height);
        ctx.fillStyle = z.color;
        ctx.fillText(label, lx + 4 * px, ly + 3 * py);
    }
}

// counting (null for tools that do not count): { zones: [{ name, type, points, color }], anchor, trails, trailLength, eventsUrl }.
export function attach(video, canvas, resultsUrl, dotnet, counting) {
    let disposed = false;
    let callbackId = null;
    let presentedMs = null; // mediaTime of the frame on screen, from requestVideoFrameCallback
    let highlighted = null; // a track chosen in the tracks table: drawn bold, with its trail, others faded

    const unavailable = () => {
        if (!disposed) {
            dotnet.invokeMethodAsync("OnVideoUnavailable");
        }
    };
    video.addEventListener("error", unavailable);
    if (video.error) {
        unavailable();
    }

    // The canvas covers exactly the video element's box, at the device's pixel density.
    const place = () => {
        const ratio = window.devicePixelRatio || 1;
        const width = Math.round(video.clientWidth * ratio), height = Math.round(video.clientHeight * ratio);
        canvas.style.left = `${video.offsetLeft + video.clientLeft}px`;
        canvas.style.top = `${video.offsetTop + video.clientTop}px`;
        canvas.style.width = `${video.clientWidth}px`;
        canvas.style.height = `${video.clientHeight}px`;
        if (canvas.width !== width || canvas.height !== height) {
            canvas.width = width;
            canvas.height = height;
        }
        return ratio;
    };

    const draw = () => {
        if (!canvas || disposed || !video.videoWidth || !video.clientWidth) {
            return;
        }
        const ratio = place();
        const ctx = canvas.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        // While paused or seeking, currentTime is the frame on screen; while playing, the presented frame's mediaTime is.
        const t = presentedMs ?? video.currentTime * 1000;
        const frame = results.at(t);
        const zones = counting?.zones ?? [];
        if (!frame && zones.length === 0) {
            return;
        }
        const rect = contentRect(video);
        ctx.save();
        ctx.beginPath();
        ctx.rect(rect.x * ratio, rect.y * ratio, rect.width * ratio, rect.height * ratio);
        ctx.clip();
        // From here on, coordinates are source pixels; a CSS pixel is 1 / scale of them.
        ctx.setTransform(ratio * rect.scaleX, 0, 0, ratio * rect.scaleY, ratio * rect.x, ratio * rect.y);
        const px = 1 / rect.scaleX, py = 1 / rect.scaleY;
        ctx.lineWidth = 2 * Math.min(px, py);
        ctx.font = `${12 * py}px sans-serif`;
        ctx.textBaseline = "top";
        if (zones.length > 0) {
            drawZones(ctx, zones, countOf, t, px, py);
            ctx.font = `${12 * py}px sans-serif`;
        }
        const detections = frame?.detections ?? [];
        if (counting?.trails) {
            const present = new Set(detections.map((d) => d.track_id).filter((id) => id != null && id !== highlighted));
            for (const [id, points] of results.trails(t, counting.trailLength, counting.anchor, present)) {
                if (points.length > 1) {
                    ctx.strokeStyle = colorFor({ track_id: id });
                    ctx.globalAlpha = highlighted === null ? 0.8 : 0.3;
                    ctx.lineWidth = 2 * Math.min(px, py);
                    ctx.beginPath();
                    points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
                    ctx.stroke();
                }
            }
            ctx.globalAlpha = 1;
        }
        if (highlighted !== null) {
            const trail = results.trail(highlighted, t);
            if (trail.length > 1) {
                ctx.strokeStyle = colorFor({ track_id: highlighted });
                ctx.lineWidth = 3 * Math.min(px, py);
                ctx.beginPath();
                trail.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
                ctx.stroke();
            }
        }
        for (const d of detections) {
            const [x1, y1, x2, y2] = d.xyxy;
            const color = colorFor(d);
            const chosen = highlighted !== null && d.track_id === highlighted;
            ctx.globalAlpha = highlighted === null || chosen ? 1 : 0.35;
            ctx.lineWidth = (chosen ? 4 : 2) * Math.min(px, py);
            ctx.strokeStyle = color;
            ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
            const label = d.track_id == null ? d.class_name : `${d.class_name} #${d.track_id}`;
            const width = ctx.measureText(label).width + 6 * px;
            const height = 16 * py;
            const top = y1 - height >= 0 ? y1 - height : y1;
            ctx.fillStyle = color;
            ctx.fillRect(x1, top, width, height);
            ctx.fillStyle = "#fff";
            ctx.fillText(label, x1 + 3 * px, top + 2 * py);
        }
        ctx.globalAlpha = 1;
        ctx.restore();
    };

    // requestVideoFrameCallback names the frame actually presented; the events cover pauses and seeks.
    const onFrame = (now, metadata) => {
        presentedMs = video.paused || video.seeking ? null : metadata.mediaTime * 1000;
        draw();
        if (!disposed) {
            callbackId = video.requestVideoFrameCallback(onFrame);
        }
    };
    const onEvent = () => {
        if (video.paused || video.seeking) {
            presentedMs = null;
        }
        draw();
    };
    const results = frameWindows(resultsUrl, () => draw());
    const countOf = counting?.eventsUrl && counting.zones.length > 0 ? zoneEvents(counting.eventsUrl, () => draw()) : () => 0;
    const events = ["loadedmetadata", "seeked", "seeking", "timeupdate", "play", "pause"];
    const resize = typeof ResizeObserver === "function" ? new ResizeObserver(onEvent) : null;
    if (canvas) {
        events.forEach((e) => video.addEventListener(e, onEvent));
        resize?.observe(video);
        if (video.requestVideoFrameCallback) {
            callbackId = video.requestVideoFrameCallback(onFrame);
        }
        draw();
    }

    return {
        // For tests and benchmarks: the result windows held now.
        loadedWindows() {
            return results.loaded;
        },
        // Seeks to a track's first appearance (ms) and highlights its box and trail until another is chosen.
        showTrack(trackId, ms) {
            highlighted = trackId;
            video.pause();
            presentedMs = null;
            video.currentTime = ms / 1000 + 0.001;
            draw();
        },
        get highlighted() {
            return highlighted;
        },
        // For tests: the running count of one zone's events of one type at the playhead.
        countAt(zone, type) {
            return countOf(zone, type, presentedMs ?? video.currentTime * 1000);
        },
        dispose() {
            disposed = true;
            video.removeEventListener("error", unavailable);
            events.forEach((e) => video.removeEventListener(e, onEvent));
            resize?.disconnect();
            if (callbackId !== null && video.cancelVideoFrameCallback) {
                video.cancelVideoFrameCallback(callbackId);
            }
        },
    };
}
