using System.Globalization;
using Microsoft.Playwright;
using OpenCvSharp;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The real app on Kestrel plus the test plugin, whose squares tool outputs track ids (so it takes zones).</summary>
public sealed class TestPluginKestrelAppFactory : KestrelAppFactoryBase
{
    /// <summary>The plugin the app runs, whose gated tool a test lets through frame by frame.</summary>
    public TestPlugin Plugin { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<IVideoPlugin>(Plugin);
}

/// <summary>Drawing a counting line with the mouse on the New job page, in Debian's Chromium, through to the job's counts.</summary>
[Collection(SerialCollection.Name)]
public sealed class ZoneDrawingTests(TestPluginKestrelAppFactory app, ChromiumFixture chromium, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<TestPluginKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    /// <summary>The counting scene as H.264 in MP4, which Chromium plays, so the page can show its first frame.</summary>
    private async Task<string> SceneMp4Async()
    {
        var avi = SquaresClip.Write(app.Clips.Path, "scene.avi", CountingScene.Width, CountingScene.Height, CountingScene.Fps, CountingScene.Frames, CountingScene.Squares);
        var ffmpeg = new FfmpegLocator((string?)null).Path ?? throw new InvalidOperationException("ffmpeg is needed (scripts/deps.sh installs it).");
        var mp4 = Path.Combine(app.Clips.Path, "gate-scene.mp4");
        await using var encoder = FfmpegVideoEncoder.Start(ffmpeg, mp4, CountingScene.Width, CountingScene.Height, CountingScene.Fps);
        using var capture = new VideoCapture(avi);
        using var frame = new Mat();
        for (var i = 0; capture.Read(frame) && !frame.Empty(); i++)
        {
            await encoder.WriteAsync(frame, i * 1000 / CountingScene.Fps, CancellationToken.None);
        }

        Assert.Null(await encoder.CompleteAsync(CancellationToken.None));
        return mp4;
    }

    /// <summary>A signed-in admin's New job form in a new page of <paramref name="context"/>, with the counting tool and <paramref name="clip"/> chosen.</summary>
    private async Task<(IPage Page, NewJobPageObject Form)> OpenFormWithAsync(IBrowserContext context, string clip)
    {
        var page = await context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"console {message.Type}: {message.Text}");
        await LoginPageObject.SignInAsAdminAsync(page, app.BaseUrl);
        var form = new NewJobPageObject(page, app.BaseUrl);
        await form.OpenAsync();
        await form.PickToolAsync(TestPlugin.PluginId, SquaresClip.Tool.Id);
        await form.ChooseFileAsync(clip);
        return (page, form);
    }

    [BrowserFact]
    public async Task DrawLine_WithTheMouseOnTheFirstFrame_IsInTheSubmittedOptionsAndCounts()
    {
        var clip = await SceneMp4Async();
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1400 } });
        var (page, form) = await OpenFormWithAsync(context, clip);

        // The first frame comes from the browser's own video element: the canvas holds the clip's pixels.
        var zones = new ZoneEditorObject(page);
        await zones.WaitForFrameAsync();
        Assert.Equal(new[] { CountingScene.Width, CountingScene.Height }, await page.EvaluateAsync<int[]>("() => { const c = document.querySelector('[data-testid=zone-frame]'); return [c.width, c.height]; }"));
        Assert.True(await page.EvaluateAsync<bool>(
            "() => { const c = document.querySelector('[data-testid=zone-frame]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 0; i < d.length; i += 4) { if (d[i] > 200) return true; } return false; }"),
            "The first frame's bright square should be on the canvas.");

        await zones.DrawLineAsync((20, CountingScene.GateY), (300, CountingScene.GateY));
        await zones.RenameAsync(0, "gate");
        var jobId = await form.SubmitAsync();

        using var client = app.CreateClient();
        var detail = await client.GetJsonAsync($"/v1/jobs/{jobId}");
        var option = detail.GetProperty("options").GetProperty("zones");
        using var submitted = JsonDocument.Parse(option.ValueKind == JsonValueKind.String ? option.GetString()! : option.GetRawText());
        var zone = Assert.Single(submitted.RootElement.EnumerateArray().ToArray());
        Assert.Equal("gate", zone.GetProperty("name").GetString());
        Assert.Equal("line", zone.GetProperty("type").GetString());
        var points = zone.GetProperty("points").EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToArray();
        Assert.Equal(2, points.Length);
        Assert.InRange(points[0].X, 18, 22);
        Assert.InRange(points[1].X, 298, 302);
        Assert.All(points, p => Assert.InRange(p.Y, CountingScene.GateY - 2, CountingScene.GateY + 2));

        // The line drawn in the browser counts the squares that cross it: one down (in), one up (out).
        Assert.Equal("completed", (await client.WaitForTerminalAsync(jobId)).Status());
        var counts = (await client.GetJsonAsync($"/v1/jobs/{jobId}/events")).GetProperty("counts").GetProperty("gate");
        Assert.Equal((1, 1), (counts.GetProperty("in").GetInt32(), counts.GetProperty("out").GetInt32()));
    }

    [BrowserFact]
    public async Task DrawLine_WithAFingerOnAPhone_TapsAndADragEachDrawALine()
    {
        var avi = SquaresClip.Write(app.Clips.Path, "finger-scene.avi", CountingScene.Width, CountingScene.Height, CountingScene.Fps, CountingScene.Frames, CountingScene.Squares);
        await using var context = await chromium.RequireBrowser().NewContextAsync(
            new() { ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 3, IsMobile = true, HasTouch = true });
        var (page, _) = await OpenFormWithAsync(context, avi);
        var zones = new ZoneEditorObject(page);
        await zones.WaitForFrameAsync();

        // Two taps draw a line, as two clicks do.
        await zones.DrawLineAsync((20, 40), (300, 40), tap: true);

        // A finger dragged across the frame draws a whole line, as a mouse drag does, rather than scrolling the page.
        var scrolled = await page.EvaluateAsync<double>("() => window.scrollY");
        await zones.DragByTouchAsync((20, CountingScene.GateY), (300, CountingScene.GateY));
        await Assertions.Expect(page.Locator("[data-testid^=zone-row-]")).ToHaveCountAsync(2);
        var points = (await page.Locator("input[data-testid=zone-points-1]").InputValueAsync()).Split(' ')
            .Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(2, points.Length);
        Assert.InRange(points[0][0], 15, 25);
        Assert.InRange(points[1][0], 295, 305);
        Assert.All(points, p => Assert.InRange(p[1], CountingScene.GateY - 5, CountingScene.GateY + 5));
        Assert.Equal(scrolled, await page.EvaluateAsync<double>("() => window.scrollY"));
    }

    [BrowserFact]
    public async Task RunAgain_DrawsOnThePreviewsFirstFrame_AndTheJobRunsWithoutAnUpload()
    {
        var clip = await SceneMp4Async();
        using var client = app.CreateClient();
        var source = await client.SubmitCompletedAsync(clip, TestPlugin.PluginId, SquaresClip.Tool.Id, new Dictionary<string, string>
        {
            ["zones"] = $$"""[{"name": "gate", "type": "line", "points": [[20, {{CountingScene.GateY}}], [300, {{CountingScene.GateY}}]]}]""",
        });
        // The preview is made at idle priority; on a busy machine, wait for it here rather than in the page.
        Assert.NotEmpty(await client.GetPreviewAsync(source));
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1400 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"console {message.Type}: {message.Text}");
        await LoginPageObject.SignInAsAdminAsync(page, app.BaseUrl);
        await page.GotoAsync($"{app.BaseUrl}/jobs/{source}");
        await page.Locator("[data-testid=job-run-again]").ClickAsync();

        // No file is chosen: the frame is the job's preview's, and the job's own line is on it, ready to change.
        var zones = new ZoneEditorObject(page);
        await zones.WaitForFrameAsync();
        Assert.Equal(new[] { CountingScene.Width, CountingScene.Height }, await page.EvaluateAsync<int[]>("() => { const c = document.querySelector('[data-testid=zone-frame]'); return [c.width, c.height]; }"));
        Assert.Equal(1, await page.Locator("[data-testid^=zone-row-]").CountAsync());
        await zones.DrawLineAsync((20, CountingScene.GateY + 2), (300, CountingScene.GateY + 2));
        await zones.RenameAsync(1, "second");
        var rerun = await new NewJobPageObject(page, app.BaseUrl).SubmitAsync();

        Assert.Equal("completed", (await client.WaitForTerminalAsync(rerun)).Status());
        var counts = (await client.GetJsonAsync($"/v1/jobs/{rerun}/events")).GetProperty("counts");
        Assert.Equal((1, 1), (counts.GetProperty("gate").GetProperty("in").GetInt32(), counts.GetProperty("gate").GetProperty("out").GetInt32()));
        Assert.Equal((1, 1), (counts.GetProperty("second").GetProperty("in").GetInt32(), counts.GetProperty("second").GetProperty("out").GetInt32()));
        Assert.Equal(await client.GetByteArrayAsync($"/v1/jobs/{source}/video"), await client.GetByteArrayAsync($"/v1/jobs/{rerun}/video"));
    }

    [BrowserFact]
    public async Task DrawLine_OnAnAviChromiumCannotPlay_UsesTheSizeItsHeaderStates()
    {
        var avi = SquaresClip.Write(app.Clips.Path, "gate-scene.avi", CountingScene.Width, CountingScene.Height, CountingScene.Fps, CountingScene.Frames, CountingScene.Squares);
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1400 } });
        var (page, form) = await OpenFormWithAsync(context, avi);

        // Chromium plays no MJPEG AVI: the frame is blank, at the size the file's 'avih' header states.
        var zones = new ZoneEditorObject(page);
        await page.Locator("[data-testid=zone-frame-unavailable]").WaitForAsync(new() { Timeout = 60_000 });   // after the <video> gives up
        await zones.WaitForFrameAsync();
        await Assertions.Expect(page.Locator("[data-testid=zone-frame-unavailable]")).ToContainTextAsync($"Its size, {CountingScene.Width} × {CountingScene.Height}, comes from the file");
        Assert.Equal($"0 0 {CountingScene.Width} {CountingScene.Height}", await page.Locator("[data-testid=zone-svg]").GetAttributeAsync("viewBox"));

        await zones.DrawLineAsync((20, CountingScene.GateY), (300, CountingScene.GateY));
        await zones.RenameAsync(0, "gate");
        var jobId = await form.SubmitAsync();

        using var client = app.CreateClient();
        Assert.Equal("completed", (await client.WaitForTerminalAsync(jobId)).Status());
        var counts = (await client.GetJsonAsync($"/v1/jobs/{jobId}/events")).GetProperty("counts").GetProperty("gate");
        Assert.Equal((1, 1), (counts.GetProperty("in").GetInt32(), counts.GetProperty("out").GetInt32()));
    }
}

/// <summary>The zone editor on the New job page.</summary>
public sealed class ZoneEditorObject(IPage page) : PageObject(page)
{
    private ILocator Svg => ByTestId("zone-svg");

    public Task WaitForFrameAsync() => Svg.WaitForAsync(new() { Timeout = 30_000 });

    /// <summary>Clicks (or, with <paramref name="tap"/>, taps) at source pixels (x, y) of the frame.</summary>
    public async Task ClickAtAsync(double x, double y, bool tap = false)
    {
        var (px, py) = await ScreenPointAsync(x, y);
        await (tap ? Page.Touchscreen.TapAsync(px, py) : Page.Mouse.ClickAsync(px, py));
    }

    /// <summary>The point on screen (CSS pixels) of source pixels (x, y) of the frame, scrolled into view.</summary>
    private async Task<(float X, float Y)> ScreenPointAsync(double x, double y)
    {
        await Svg.ScrollIntoViewIfNeededAsync();
        var box = await Svg.BoundingBoxAsync() ?? throw new InvalidOperationException("The zone editor's frame is not on screen.");
        var viewBox = (await Svg.GetAttributeAsync("viewBox"))!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return ((float)(box.X + (x / viewBox[2] * box.Width)), (float)(box.Y + (y / viewBox[3] * box.Height)));
    }

    public async Task DrawLineAsync((double X, double Y) from, (double X, double Y) to, bool tap = false)
    {
        var rows = await Page.Locator("[data-testid^=zone-row-]").CountAsync();
        var draw = ByTestId("zone-draw-line");
        await (tap ? draw.TapAsync() : draw.ClickAsync());
        await ClickAtAsync(from.X, from.Y, tap);
        await Assertions.Expect(ByTestId("zone-pending")).ToHaveCountAsync(1);
        await ClickAtAsync(to.X, to.Y, tap);
        await Assertions.Expect(Page.Locator("[data-testid^=zone-row-]")).ToHaveCountAsync(rows + 1);
    }

    /// <summary>
    /// A finger pressed at source pixels <paramref name="from"/> and moved to <paramref name="to"/> in small steps, through
    /// Chromium's own touch input (Playwright has a tap but no touch drag), with the line tool already chosen.
    /// </summary>
    public async Task DragByTouchAsync((double X, double Y) from, (double X, double Y) to)
    {
        var start = await ScreenPointAsync(from.X, from.Y);
        var end = await ScreenPointAsync(to.X, to.Y);
        var cdp = await Page.Context.NewCDPSessionAsync(Page);
        Task TouchAsync(string type, params (float X, float Y)[] points) => cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = points.Select(p => new Dictionary<string, object> { ["x"] = p.X, ["y"] = p.Y }).ToArray(),
        });
        await TouchAsync("touchStart", start);
        const int Steps = 10;
        for (var i = 1; i <= Steps; i++)
        {
            await TouchAsync("touchMove", (start.X + ((end.X - start.X) * i / Steps), start.Y + ((end.Y - start.Y) * i / Steps)));
        }

        await TouchAsync("touchEnd");
        await cdp.DetachAsync();
    }

    public async Task RenameAsync(int index, string name)
    {
        await Page.Locator($"input[data-testid=zone-name-{index}]").FillAsync(name);
        await Assertions.Expect(Page.Locator("[data-testid=zone-svg] text").Nth(index)).ToHaveTextAsync(name);
    }
}

/// <summary>A counting job's page in Debian's Chromium: its cards, its overlay with the zones, and its events seeking the player.</summary>
[Collection(SerialCollection.Name)]
public sealed class CountingJobPageTests(TestPluginKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<TestPluginKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    /// <summary>Pixels of the overlay canvas close to the first zone's colour (amber, #ffc107).</summary>
    private const string AmberPixels =
        "() => { const c = document.querySelector('.vt-player canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] > 225 && d[i + 1] > 165 && d[i + 1] < 220 && d[i + 2] < 60 && d[i + 3] > 200) n++; } return n; }";

    [BrowserFact]
    public async Task JobPage_CountingJob_ShowsCardsDrawsTheZonesOnTheOverlayAndSeeksToAClickedEvent()
    {
        using var client = app.CreateClient();
        var clip = SquaresClip.Write(app.Clips.Path, "scene.avi", CountingScene.Width, CountingScene.Height, CountingScene.Fps, CountingScene.Frames, CountingScene.Squares);
        var jobId = await client.SubmitCompletedAsync(clip, TestPlugin.PluginId, SquaresClip.Tool.Id, new Dictionary<string, string> { ["zones"] = CountingScene.ZonesJson });
        var events = (await client.GetJsonAsync($"/v1/jobs/{jobId}/events")).GetProperty("events").EnumerateArray().ToArray();
        var gateIn = events.Single(e => e.GetProperty("type").GetString() == "in");

        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        var job = await JobPageObject.OpenAsAdminAsync(context, app.BaseUrl, jobId);
        var page = job.Page;

        await Assertions.Expect(page.Locator("[data-testid=count-0-in]")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=count-0-out]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-testid=count-1-entered]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-testid=dwell-1] rect")).ToHaveCountAsync(10);
        Assert.True(await page.EvaluateAsync<bool>("async () => { const img = document.querySelector('img[data-testid=heatmap]'); img.scrollIntoView(); await img.decode(); return img.naturalWidth === 320 && img.naturalHeight === 240; }"));

        Assert.True(await job.WaitForPlayerAsync(0.9), "The preview should play here (ffmpeg is installed by scripts/deps.sh).");
        await page.Locator(".vt-player").ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync($"() => ({AmberPixels})() > 100", null, new() { Timeout = 15_000 });

        // A click on the gate's "in" event seeks the player to that frame.
        await page.Locator("[data-testid=events-table] tbody tr").Filter(new() { HasText = "in" }).Filter(new() { HasText = "gate" }).First.ClickAsync();
        var expected = gateIn.GetProperty("timestamp_ms").GetDouble() / 1000;
        await page.WaitForFunctionAsync(
            "expected => { const v = document.querySelector('.vt-player video'); return !v.seeking && Math.abs(v.currentTime - expected) < 0.06; }", expected, new() { Timeout = 15_000 });
    }
}
