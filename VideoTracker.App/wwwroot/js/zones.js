// The zone editor's browser half: shows the chosen clip's first frame from the browser's own <video>
// element (the file never leaves the browser for this; a job run again shows its preview's instead), and turns clicks, taps and drags
// (mouse, pen or finger: pointer events) on the frame into source-video pixels for the page (.NET), which owns the shapes.
import { chosenFile } from "./upload.js";

// Draws the first frame of the chosen file on the canvas. Returns its size in source pixels, or
// { error } when this browser cannot play the clip (MPEG-4 part 2 or MJPEG AVI in Chromium, for example);
// then the size is still read from an AVI's own header, so that zones can be drawn on a blank frame.
export async function loadFirstFrame(container, fileName, fileSize, canvas) {
    const file = chosenFile(container, fileName, fileSize);
    if (!file) {
        return { width: 0, height: 0, error: "The chosen file is no longer in the page." };
    }
    const url = URL.createObjectURL(file);
    try {
        const frame = await drawFirstFrame(url, canvas, 15000);
        const stated = frame.error ? await aviFrameSize(file) : null;
        return stated ? { ...stated, error: frame.error } : frame;
    } finally {
        URL.revokeObjectURL(url);
    }
}

// The frame size an AVI states in its main header: the "avih" chunk, whose dwWidth and dwHeight are at 32 and 36.
async function aviFrameSize(file) {
    const head = new DataView(await file.slice(0, 64 * 1024).arrayBuffer());
    const tag = (at) => String.fromCharCode(head.getUint8(at), head.getUint8(at + 1), head.getUint8(at + 2), head.getUint8(at + 3));
    if (head.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "AVI ") {
        return null;
    }
    for (let at = 12; at + 48 <= head.byteLength; at++) {
        if (tag(at) === "avih") {
            const width = head.getUint32(at + 40, true);
            const height = head.getUint32(at + 44, true);
            return width > 0 && height > 0 && width <= 16384 && height <= 16384 ? { width, height } : null;
        }
    }
    return null;
}

// The same from a URL the server gives: a job's browser preview, when a job runs again without a new file.
// The server may still be making that preview (at idle priority): until it is ready, the URL answers 503 with
// Retry-After, so ask (for its first byte only) again until it does not, for up to ten minutes.
export async function loadFirstFrameFromUrl(url, canvas) {
    const deadline = Date.now() + 600000;
    try {
        for (;;) {
            const response = await fetch(url, { headers: { Range: "bytes=0-0" } });
            await response.body?.cancel();
            if (response.status !== 503 || Date.now() > deadline) {
                break;
            }
            const seconds = Number(response.headers.get("Retry-After")) || 5;
            await new Promise(resolve => setTimeout(resolve, seconds * 1000));
        }
    } catch {
        // The video element below reports what is wrong.
    }
    return drawFirstFrame(url, canvas, 60000);
}

async function drawFirstFrame(url, canvas, timeoutMs) {
    const video = document.createElement("video");
    video.muted = true;
    video.preload = "auto";
    video.playsInline = true;
    try {
        await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
            video.addEventListener("loadeddata", () => { clearTimeout(timer); resolve(); }, { once: true });
            video.addEventListener("error", () => { clearTimeout(timer); reject(new Error(`MediaError ${video.error?.code ?? "?"}`)); }, { once: true });
            video.src = url;
        });
        if (!video.videoWidth || !video.videoHeight) {
            throw new Error("no picture");
        }
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext("2d").drawImage(video, 0, 0);
        return { width: video.videoWidth, height: video.videoHeight, error: null };
    } catch (e) {
        return { width: 0, height: 0, error: String(e?.message ?? e) };
    } finally {
        video.removeAttribute("src");
        video.load();
    }
}

// Source pixels of a pointer event over the stage's <svg> (its viewBox is the frame in source pixels).
function sourcePoint(svg, e) {
    const rect = svg.getBoundingClientRect();
    const box = svg.viewBox.baseVal;
    return [
        box.x + (e.clientX - rect.left) * box.width / rect.width,
        box.y + (e.clientY - rect.top) * box.height / rect.height,
    ];
}

// A press and release more than this many CSS pixels apart is a drag (a whole line at once).
const dragThreshold = 6;

export function attach(stage, dotnet) {
    if (stage.vtZones) {
        return;
    }
    let down = null;
    const svgOf = (e) => e.target.closest?.("svg.vt-zone-svg") ?? stage.querySelector("svg.vt-zone-svg");
    const onDown = (e) => {
        const svg = svgOf(e);
        if (e.button !== 0 || !e.isPrimary || !svg) {
            return;
        }
        down = { x: e.clientX, y: e.clientY, point: sourcePoint(svg, e) };
        e.preventDefault();
    };
    const onUp = (e) => {
        const svg = svgOf(e);
        if (e.button !== 0 || !e.isPrimary || !svg || !down) {
            return;
        }
        const start = down;
        down = null;
        const [x, y] = sourcePoint(svg, e);
        if (Math.hypot(e.clientX - start.x, e.clientY - start.y) > dragThreshold) {
            dotnet.invokeMethodAsync("OnFrameDrag", start.point[0], start.point[1], x, y);
        } else {
            dotnet.invokeMethodAsync("OnFrameClick", x, y);
        }
    };
    const onDouble = (e) => {
        if (svgOf(e)) {
            dotnet.invokeMethodAsync("OnFrameDoubleClick");
        }
    };
    // A finger the browser takes for a scroll (outside drawing, where the frame lets the page scroll: app.css) ends in pointercancel.
    const onCancel = () => { down = null; };
    stage.addEventListener("pointerdown", onDown);
    stage.addEventListener("pointerup", onUp);
    stage.addEventListener("pointercancel", onCancel);
    stage.addEventListener("dblclick", onDouble);
    stage.vtZones = () => {
        stage.removeEventListener("pointerdown", onDown);
        stage.removeEventListener("pointerup", onUp);
        stage.removeEventListener("pointercancel", onCancel);
        stage.removeEventListener("dblclick", onDouble);
        delete stage.vtZones;
    };
}

export function detach(stage) {
    stage?.vtZones?.();
}
