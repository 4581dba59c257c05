// Uploads one file through the new-job page in Debian's Chromium and prints how long the browser took
// from pressing "Upload and start" to the job page (the file travels by XMLHttpRequest to /ui/upload).
// Usage: node upload-page.js <playwright-core dir> <base url> <file>
const [, , playwrightDir, baseUrl, file] = process.argv;
const { chromium } = require(playwrightDir);

(async () => {
    const browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage();
    await page.goto(baseUrl + "/");
    await page.locator("[data-interactive=true]").waitFor({ timeout: 30000 });
    await page.locator("[data-testid=upload-drop-zone] input[type=file]").setInputFiles(file);
    await page.locator("[data-testid=selected-file]").waitFor();
    const started = performance.now();
    await page.locator("[data-testid=submit-job]").click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/, { timeout: 600000 });
    const seconds = (performance.now() - started) / 1000;
    const xhrMs = await page.evaluate(() => performance.getEntriesByName("videotracker-upload").at(-1)?.duration ?? NaN);
    console.log(`page ${seconds.toFixed(3)}s (XMLHttpRequest alone ${(xhrMs / 1000).toFixed(3)}s) ${page.url()}`);
    await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
