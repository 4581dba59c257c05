// Posts the chosen file straight from the browser to the server with XMLHttpRequest, so that large
// uploads stream over HTTP instead of the SignalR circuit, and reports progress to the page (.NET).
//
// The circuit may be down when the upload ends (a network drop, a server restart). A call to .NET made then is
// lost without an answer, so the outcome is told again until a call gets through; and since Blazor reloads the
// page when the server has forgotten the circuit, the upload (file name and size, the form's fields, then its
// outcome) is also kept in this tab's sessionStorage for the reloaded page to tell. Never the file, never a token.
const storageKey = "videotracker.upload";
const tryMilliseconds = 3000;
const pauseMilliseconds = 1000;
const giveUpMilliseconds = 600000;

// The upload this document runs or ran, until its page has its outcome: { id, fileName, fileSize, fields, loaded,
// outcome, xhr, dotnet, ... } (xhr: null once it has ended; dotnet: null while no page listens).
let active = null;

function record(upload) {
    const { id, fileName, fileSize, fields, outcome } = upload;
    return { id, fileName, fileSize, fields, outcome };
}

function keep(upload) {
    try {
        sessionStorage.setItem(storageKey, JSON.stringify(record(upload)));
    } catch {
        // Storage full or refused: the page still hears of the outcome while it is open.
    }
}

function kept() {
    try {
        return JSON.parse(sessionStorage.getItem(storageKey) ?? "null");
    } catch {
        return null;
    }
}

function forget(id) {
    if (kept()?.id === id) {
        sessionStorage.removeItem(storageKey);
    }
    if (active?.id === id) {
        active = null;
    }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A call that has had no answer within `ms` counts as lost: while the circuit is down, Blazor neither sends it nor fails it.
function withinTime(promise, ms) {
    return Promise.race([promise, pause(ms).then(() => Promise.reject(new Error("no answer")))]);
}

async function antiforgeryToken(tokenUrl) {
    const response = await fetch(tokenUrl, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) {
        throw new Error(`antiforgery token: HTTP ${response.status}`);
    }
    return await response.json();
}

// The page's answer to an outcome: OnUploadFinished(id, status, body) or OnUploadFailed(id, reason).
function tell(upload) {
    const { id, outcome } = upload;
    return outcome.failed
        ? upload.dotnet.invokeMethodAsync("OnUploadFailed", id, outcome.failed)
        : upload.dotnet.invokeMethodAsync("OnUploadFinished", id, outcome.status, outcome.body);
}

// Keeps the outcome, then tells the page until it has it (the page ignores a second telling). Stops when the page
// goes (it says so through detach), another upload starts or a new page takes it; after ten minutes it is left
// for the next New job page of this tab.
async function finish(upload, outcome) {
    upload.xhr = null;
    if (active !== upload) {
        return;
    }
    upload.outcome = outcome;
    keep(upload);
    const giveUp = Date.now() + giveUpMilliseconds;
    while (active === upload && upload.dotnet && Date.now() < giveUp) {
        try {
            await withinTime(tell(upload), tryMilliseconds);
            forget(upload.id);
            return;
        } catch {
            await pause(pauseMilliseconds);
        }
    }
}

// MudFileUpload keeps the input of each earlier choice (hidden) and adds a fresh one, so the file to send
// is the newest one that matches what the page was told about.
export function chosenFile(container, name, size) {
    const inputs = [...(container?.querySelectorAll("input[type=file]") ?? [])].reverse();
    for (const input of inputs) {
        const file = input.files?.[0];
        if (file && file.name === name && file.size === size) {
            return file;
        }
    }
    return null;
}

export async function startUpload(container, url, tokenUrl, fields, fileName, fileSize, id, dotnet) {
    const upload = { id, fileName, fileSize, fields, loaded: 0, outcome: null, xhr: null, dotnet, reporting: false, cancelled: false };
    active = upload;
    const file = chosenFile(container, fileName, fileSize);
    if (!file) {
        finish(upload, { status: 400, body: JSON.stringify({ detail: "Choose a video file first." }) });
        return;
    }

    keep(upload);
    let token;
    try {
        token = await antiforgeryToken(tokenUrl);
    } catch {
        finish(upload, { failed: "error" });
        return;
    }

    // Text fields first, the file last: the server validates the fields before it stores the file.
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
        form.append(name, value);
    }
    form.append("file", file, file.name);

    const xhr = new XMLHttpRequest();
    upload.xhr = xhr;
    let lastReport = 0;
    let lastPercent = -1;
    xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) {
            return;
        }
        upload.loaded = e.loaded;
        // At most ~10 reports a second, plus every whole percent step, and (but for the last) one at a time, so the
        // circuit is not flooded, nor, while it is down, the calls that wait for it.
        const now = performance.now();
        const percent = Math.floor((100 * e.loaded) / e.total);
        const last = e.loaded === e.total;
        if (upload.dotnet && (!upload.reporting || last) && percent !== lastPercent && (now - lastReport > 100 || last)) {
            lastReport = now;
            lastPercent = percent;
            upload.reporting = true;
            withinTime(upload.dotnet.invokeMethodAsync("OnUploadProgress", id, e.loaded, e.total), tryMilliseconds)
                .catch(() => {})
                .finally(() => (upload.reporting = false));
        }
    });
    xhr.addEventListener("load", () => {
        // Visible in the browser's performance timeline (and to the upload benchmark).
        performance.measure("videotracker-upload", "videotracker-upload-start");
        finish(upload, { status: xhr.status, body: xhr.responseText || "" });
    });
    xhr.addEventListener("error", () => finish(upload, { failed: "error" }));
    // Cancelled by the person, or cut off by the browser (a reload or leaving the page cancels the request too).
    xhr.addEventListener("abort", () => finish(upload, { failed: upload.cancelled ? "abort" : "error" }));
    xhr.open("POST", url);
    xhr.setRequestHeader(token.header_name, token.token);
    performance.mark("videotracker-upload-start");
    xhr.send(form);
}

export function cancelUpload() {
    if (active?.xhr) {
        active.cancelled = true;
        active.xhr.abort();
    }
}

// A page that opens (after a reload, or coming back to it) asks what became of this tab's last upload: one still
// on its way in this document (the page then hears of it, and may cancel it), or one that ended while no page
// heard of it, or that the reload cut short (no outcome). Null when there is none.
export function resumeUpload(dotnet) {
    if (active && !active.outcome) {
        active.dotnet = dotnet;
        return { ...record(active), loaded: active.loaded, running: true };
    }

    const last = active ? record(active) : kept();
    if (last) {
        forget(last.id);
    }
    return last ? { ...last, loaded: 0, running: false } : null;
}

// The page goes. When it had the upload's outcome the upload is over; otherwise it is kept for the next page.
export function detach(id, settled) {
    if (settled) {
        forget(id);
    } else if (active?.id === id) {
        active.dotnet = null;
    }
}
