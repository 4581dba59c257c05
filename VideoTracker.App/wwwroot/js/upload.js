// Posts the chosen file straight from the browser to the server with XMLHttpRequest, so that large
// uploads stream over HTTP instead of the SignalR circuit, and reports progress to the page (.NET).
let current = null;

async function antiforgeryToken(tokenUrl) {
    const response = await fetch(tokenUrl, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) {
        throw new Error(`antiforgery token: HTTP ${response.status}`);
    }
    return await response.json();
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

export async function startUpload(container, url, tokenUrl, fields, fileName, fileSize, dotnet) {
    const file = chosenFile(container, fileName, fileSize);
    if (!file) {
        await dotnet.invokeMethodAsync("OnUploadFinished", 400, JSON.stringify({ detail: "Choose a video file first." }));
        return;
    }

    let token;
    try {
        token = await antiforgeryToken(tokenUrl);
    } catch {
        await dotnet.invokeMethodAsync("OnUploadFailed", "error");
        return;
    }

    // Text fields first, the file last: the server validates the fields before it stores the file.
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
        form.append(name, value);
    }
    form.append("file", file, file.name);

    const xhr = new XMLHttpRequest();
    current = xhr;
    let lastReport = 0;
    let lastPercent = -1;
    xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) {
            return;
        }
        // At most ~10 reports a second, plus every whole percent step, so the circuit is not flooded.
        const now = performance.now();
        const percent = Math.floor((100 * e.loaded) / e.total);
        if (percent !== lastPercent && (now - lastReport > 100 || e.loaded === e.total)) {
            lastReport = now;
            lastPercent = percent;
            dotnet.invokeMethodAsync("OnUploadProgress", e.loaded, e.total);
        }
    });
    xhr.addEventListener("load", () => {
        current = null;
        // Visible in the browser's performance timeline (and to the upload benchmark).
        performance.measure("videotracker-upload", "videotracker-upload-start");
        dotnet.invokeMethodAsync("OnUploadFinished", xhr.status, xhr.responseText || "");
    });
    xhr.addEventListener("error", () => {
        current = null;
        dotnet.invokeMethodAsync("OnUploadFailed", "error");
    });
    xhr.addEventListener("abort", () => {
        current = null;
        dotnet.invokeMethodAsync("OnUploadFailed", "abort");
    });
    xhr.open("POST", url);
    xhr.setRequestHeader(token.header_name, token.token);
    performance.mark("videotracker-upload-start");
    xhr.send(form);
}

export function cancelUpload() {
    current?.abort();
}
