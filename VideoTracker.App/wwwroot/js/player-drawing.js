// How the player draws: the colour of a track, where the <video> element actually shows the picture
// (object-fit and object-position respected, so letterboxed, pillarboxed and portrait clips line up), and
// the counting zones with their running counts. Coordinates are source pixels once the caller has set
// the canvas transform from contentRect.
const palette = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324"];

export function colorFor(detection) {
    const key = detection.track_id ?? detection.class_id ?? 0;
    return palette[Math.abs(key) % palette.length];
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

// Lines (with an arrow on their "in" side) and polygons, each labelled with its running count at t.
export function drawZones(ctx, zones, countOf, t, px, py) {
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
