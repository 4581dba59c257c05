using Microsoft.Playwright;
using OpenCvSharp;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The real app on Kestrel plus a tool that reports two tracks at known pixels, with their track table.</summary>
public sealed class TwoTracksKestrelAppFactory : KestrelAppFactoryBase
{
    public TwoTracksKestrelAppFactory() => Settings["Jobs:PreparePreview"] = "true";

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<IVideoPlugin>(new TwoTracksPlugin());
        services.AddSingleton<IVideoPlugin>(new ManyTracksPlugin());
    }
}

/// <summary>A tool whose boxes carry track ids and whose track table is written as the tracking tool writes it.</summary>
public abstract class TrackTablePlugin(string pluginId, string toolId, string title, string description) : AnalyserPlugin(pluginId, toolId, title, description)
{
    public override async Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken)
    {
        using var table = new TrackTableBuilder();
        var summary = await base.RunAsync(request with { Frames = new TableSink(request.Frames, table) }, progress, cancellationToken);
        await table.WriteAsync(request.OutputDirectory, cancellationToken);
        return summary;
    }

    private sealed class TableSink(IFrameSink inner, TrackTableBuilder table) : IFrameSink
    {
        public ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken)
        {
            table.Add(frame.FrameIndex, frame.TimestampMs, frame.Detections);
            return inner.WriteAsync(frame, cancellationToken);
        }
    }
}

/// <summary>Ten new tracks on every frame, each seen once: 500 tracks on a 50-frame clip.</summary>
public sealed class ManyTracksPlugin() : TrackTablePlugin(PluginId, ToolId, "Many tracks", "Ten new tracks a frame, for the tracks table's paging.")
{
    public const string PluginId = "many-tracks";
    public const string ToolId = "many_tracks";
    public const int PerFrame = 10;

    public override IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex) =>
        [.. Enumerable.Range(1, PerFrame).Select(i => new DetectedObject(i * 10, 10, (i * 10) + 8, 30, 0.9f, 0, "person", (frameIndex * PerFrame) + i))];
}

/// <summary>
/// One tool, on a 320×240 clip at 10 fps: track 1 stands at x 40–100, y 60–140 from the first frame; track 2
/// appears at frame 10 (1 s) at x 200–260, y 20–60 and moves down 4 px a frame. The track table is written as
/// the tracking tool writes it.
/// </summary>
public sealed class TwoTracksPlugin() : TrackTablePlugin(PluginId, ToolId, "Two tracks", "Two tracks at known pixels, for the tracks table's tests.")
{
    public const string PluginId = "two-tracks";
    public const string ToolId = "two_tracks";

    public static (float X1, float Y1, float X2, float Y2) SecondAt(int frameIndex) => (200, 20 + (4 * (frameIndex - 10)), 260, 60 + (4 * (frameIndex - 10)));

    public override IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex)
    {
        List<DetectedObject> found = [new DetectedObject(40, 60, 100, 140, 0.9f, 0, "person", 1)];
        if (frameIndex >= 10)
        {
            var (x1, y1, x2, y2) = SecondAt(frameIndex);
            found.Add(new DetectedObject(x1, y1, x2, y2, 0.8f, 0, "person", 2));
        }

        return found;
    }
}

/// <summary>The job page's Tracks table in Debian's Chromium: a click on a track seeks the player and highlights that track.</summary>
[Collection(SerialCollection.Name)]
public sealed class TrackHighlightTests(TwoTracksKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<TwoTracksKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    private const string CanvasAlpha =
        "([x, y]) => { const c = document.querySelector('.vt-player canvas'); return c && c.width > 0 ? c.getContext('2d').getImageData(x, y, 1, 1).data[3] : -1; }";

    [BrowserFact]
    public async Task TracksTable_ClickingATrack_SeeksToItsFirstAppearanceAndHighlightsItsBoxAndTrail()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 40, width: 320, height: 240, fps: 10, name: "two-tracks.avi");
        var jobId = await client.SubmitCompletedAsync(clip, TwoTracksPlugin.PluginId, TwoTracksPlugin.ToolId);

        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 }, DeviceScaleFactor = 1 });
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        await page.GotoAsync($"{app.BaseUrl}/jobs/{jobId}");

        // One CSS pixel per source pixel: the element is the clip's size, so the canvas reads in source pixels.
        await page.AddStyleTagAsync(new() { Content = ".vt-player video { width: 320px !important; height: 240px !important; max-height: none !important; }" });
        await page.WaitForFunctionAsync("() => (document.querySelector('.vt-player video')?.readyState ?? 0) >= 2", null, new() { Timeout = 60_000 });
        var rows = page.Locator("[data-testid=tracks-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 30_000 });

        // Before any choice, track 1 (on screen from the start) is drawn at full strength.
        await page.WaitForFunctionAsync($"([x, y]) => ({CanvasAlpha})([x, y]) > 200", new[] { 40, 100 }, new() { Timeout = 30_000 });

        await rows.Filter(new() { Has = page.Locator("[data-testid=track-id]", new() { HasTextString = "2" }) }).ClickAsync();

        // The player goes to track 2's first appearance (frame 10, 1.0 s), paused.
        await page.WaitForFunctionAsync(
            "() => { const v = document.querySelector('.vt-player video'); return v.paused && !v.seeking && Math.abs(v.currentTime - 1.0) < 0.05; }",
            null,
            new() { Timeout = 30_000 });

        // Track 2's box is drawn at full strength (its left edge at x 200, y 20–60); track 1 is faded.
        await page.WaitForFunctionAsync($"([x, y]) => ({CanvasAlpha})([x, y]) > 200", new[] { 200, 45 }, new() { Timeout = 30_000 });
        var faded = await page.EvaluateAsync<int>(CanvasAlpha, new[] { 40, 100 });
        Assert.InRange(faded, 40, 160);

        // Its box is drawn bolder than a plain one: 4 px instead of 2, so 2 px outside the edge is drawn too.
        Assert.True(await page.EvaluateAsync<int>(CanvasAlpha, new[] { 198, 45 }) > 200, "the chosen box should be drawn 4 px wide");
        Assert.Equal(0, await page.EvaluateAsync<int>(CanvasAlpha, new[] { 38, 100 }));

        // Later on, its trail joins the middles of its bottom edges, from (230, 60) down to where it is now (230, 120 at
        // frame 25); nothing is drawn at (230, 100) before.
        Assert.Equal(0, await page.EvaluateAsync<int>(CanvasAlpha, new[] { 230, 100 }));
        await new JobPageObject(page).SeekAsync(2.55);
        var (x1, y1, _, _) = TwoTracksPlugin.SecondAt(25);
        await page.WaitForFunctionAsync($"([x, y]) => ({CanvasAlpha})([x, y]) > 200", new[] { (int)x1, (int)y1 + 10 }, new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<int>(CanvasAlpha, new[] { 230, 100 }) > 200, "the trail should be drawn between the track's first and current positions");
    }

    [BrowserFact]
    public async Task TracksTable_FiveHundredTracks_RendersOnePageAndItsPagerReachesTheLastTrack()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 50, width: 320, height: 240, fps: 10, name: "many-tracks.avi");
        var jobId = await client.SubmitCompletedAsync(clip, ManyTracksPlugin.PluginId, ManyTracksPlugin.ToolId);

        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var job = await JobPageObject.OpenAsAdminAsync(context, app.BaseUrl, jobId);
        var page = job.Page;
        await Assertions.Expect(page.Locator("[data-testid=tracks] h3")).ToHaveTextAsync("Tracks (500)", new() { Timeout = 30_000 });

        // One page of rows, however many tracks there are.
        var ids = page.Locator("[data-testid=tracks-table] tbody [data-testid=track-id]");
        await Assertions.Expect(ids).ToHaveCountAsync(10);
        await Assertions.Expect(ids.First).ToHaveTextAsync("1");

        await page.Locator("[data-testid=tracks-pager] button[aria-label='Last page']").ClickAsync();

        await Assertions.Expect(ids.Last).ToHaveTextAsync("500");
        await Assertions.Expect(ids).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid=tracks-pager]")).ToContainTextAsync("491-500 of 500");
    }
}
