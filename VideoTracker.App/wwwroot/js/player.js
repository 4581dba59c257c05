// Draws a job's detections (boxes, class names, track ids) on a canvas over its video, in step with
// playback. Boxes are in source pixels; they are drawn inside the rectangle where the <video> element
// actually shows the picture (object-fit and object-position respected), so letterboxed, pillarboxed and
// portrait clips line up. Frames are matched by their timestamp_ms against the presented frame's
// mediaTime (requestVideoFrameCallback), so each box stays on its own frame. Results come in windows of
// time around the playhead (from_ms/to_ms, read through the server's frame index): the window on screen,
// the next one prefetched, far ones dropped, so a page costs the same for a 10-second and a 10-hour clip.
// The results live in player-results.js, the drawing helpers in player-drawing.js.
import { colorFor, contentRect, drawZones } from "./player-drawing.js";
import { frameWindows, pastAnalysed, zoneEvents } from "./player-results.js";

export { contentRect } from "./player-drawing.js";
export { anchorOf, countAt, frameAt, frameWindows, pastAnalysed, windowMs } from "./player-results.js";

// counting (null for tools that do not count): { zones: [{ name, type, points, color }], anchor, trails, trailLength, eventsUrl }.
// analysed (null when the job analysed the whole clip): { lastMs, notice }: the last analysed frame's time, and the
// element that says, while the playhead is past it, that the frame on screen was not analysed (rather than empty).
export function attach(video, canvas, resultsUrl, dotnet, counting, analysed) {
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
        if (!canvas || disposed) {
            return;
        }
        // While paused or seeking, currentTime is the frame on screen; while playing, the presented frame's mediaTime is.
        const t = presentedMs ?? video.currentTime * 1000;
        const past = analysed ? pastAnalysed(t, analysed.lastMs, results.gap) : false;
        analysed?.notice?.classList.toggle("vt-shown", past);
        if (!video.videoWidth || !video.clientWidth) {
            return;
        }
        const ratio = place();
        const ctx = canvas.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        const frame = past ? null : results.at(t);
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
        // Seeks to a track's first appearance (ms) and highlights its box and trail until another is chosen. The
        // tables sit below the player, so the player is scrolled into view (smoothly, unless motion is reduced).
        showTrack(trackId, ms) {
            highlighted = trackId;
            video.pause();
            presentedMs = null;
            video.currentTime = ms / 1000 + 0.001;
            draw();
            const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
            video.scrollIntoView({ block: "nearest", inline: "nearest", behavior: reduced ? "auto" : "smooth" });
        },
        get highlighted() {
            return highlighted;
        },
        // For tests: whether the playhead is past the analysed frames (the notice is shown).
        get pastAnalysed() {
            return analysed ? pastAnalysed(presentedMs ?? video.currentTime * 1000, analysed.lastMs, results.gap) : false;
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
