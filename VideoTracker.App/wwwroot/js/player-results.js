// A job's results for the player, fetched in pieces: detections in windows of time around the playhead
// (from_ms/to_ms, read through the server's frame index): the window on screen, the next one prefetched,
// far ones dropped, so a page costs the same for a 10-second and a 10-hour clip; and the counting events,
// for running counts at the playhead. Drawing them is player-drawing.js's job; player.js ties both to the video.
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

// The typical gap between analysed frames (ms), or null with fewer than two.
function gapOf(frames) {
    if (frames.length < 2) {
        return null;
    }
    const span = frames[frames.length - 1].timestamp_ms - frames[0].timestamp_ms;
    return span / (frames.length - 1);
}

// How long one analysed frame stays on screen: 1.5 × the typical gap between analysed frames.
const holdFor = (gap) => Math.max(50, 1.5 * gap);

// Whether the playhead at t (ms) is past the analysed part of a clip whose last analysed frame is at lastMs: from
// where the next analysed frame would have started (one typical gap on), the frame on screen was not analysed.
export function pastAnalysed(t, lastMs, gap) {
    return lastMs != null && t + 1 >= lastMs + gap;
}

export const windowMs = 5000;
const keepWindows = 2; // windows this far from the playhead's stay in memory; farther ones are dropped

// The frames of a job, fetched window by window around the playhead.
export function frameWindows(resultsUrl, onLoaded) {
    const windows = new Map(); // window number -> frames (sorted) or null while in flight
    let gap = 200 / 1.5;
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
                gap = gapOf(frames) ?? gap;
                onLoaded(k);
            })
            .catch(() => windows.delete(k));
    };
    return {
        get hold() { return holdFor(gap); },
        get gap() { return gap; },
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
            const hold = holdFor(gap);
            return frameAt(windows.get(k) ?? [], t, hold) ?? frameAt(windows.get(k - 1) ?? [], t, hold);
        },
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
export function zoneEvents(eventsUrl, onLoaded) {
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
