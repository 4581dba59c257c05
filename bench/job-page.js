// Opens a job page in Debian's Chromium and prints what it cost: bytes transferred (HTTP bodies and headers
// plus the Blazor WebSocket frames, from the DevTools protocol), the time until the page is interactive
// with its chart drawn, and the time from seeking the player to the middle until a box is on the canvas.
// Usage: node job-page.js <playwright-core dir> <base url> <job id>
const [, , playwrightDir, baseUrl, jobId] = process.argv;
const { chromium } = require(playwrightDir);

(async () => {
    const browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    let bytes = 0;
    let resultRequests = 0;
    cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
    cdp.on("Network.webSocketFrameReceived", (e) => { bytes += e.response.payloadData.length; });
    cdp.on("Network.webSocketFrameSent", (e) => { bytes += e.response.payloadData.length; });
    page.on("request", (r) => { if (r.url().includes("/v1/video/results/")) resultRequests++; });

    const started = performance.now();
    await page.goto(`${baseUrl}/jobs/${jobId}`);
    await page.locator("[data-interactive=true]").waitFor({ timeout: 60000 });
    await page.locator("[data-testid=results-chart] svg").waitFor({ timeout: 60000 });
    const interactiveMs = performance.now() - started;

    await page.waitForFunction(() => (document.querySelector(".vt-player video")?.readyState ?? 0) >= 2, null, { timeout: 120000 });
    // Seek to the middle, then time until the canvas shows a box (any opaque pixel), sampled every frame.
    const seekMs = await page.evaluate(() => new Promise((resolve) => {
        const video = document.querySelector(".vt-player video");
        const canvas = document.querySelector(".vt-player canvas");
        const ctx = canvas.getContext("2d");
        const blank = () => { const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data; for (let i = 3; i < d.length; i += 4) if (d[i]) return false; return true; };
        const t0 = performance.now();
        video.currentTime = video.duration / 2;
        const poll = () => {
            if (!video.seeking && !blank()) resolve(performance.now() - t0);
            else if (performance.now() - t0 > 30000) resolve(NaN);
            else requestAnimationFrame(poll);
        };
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        requestAnimationFrame(poll);
    }));
    await page.waitForTimeout(1000);
    console.log(`page ${jobId}: transferred ${(bytes / 1e6).toFixed(2)} MB (${resultRequests} result windows), interactive with chart ${(interactiveMs / 1000).toFixed(2)} s, seek to middle -> boxes ${seekMs.toFixed(0)} ms`);
    await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
