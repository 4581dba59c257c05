using Microsoft.Playwright;
using OpenCvSharp;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The real app on Kestrel plus a tool that finds one box at known source pixels on every frame.</summary>
public sealed class FixedBoxKestrelAppFactory : KestrelAppFactoryBase
{
    public FixedBoxKestrelAppFactory() => Settings["Jobs:PreparePreview"] = "true";

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<IVideoPlugin>(new FixedBoxPlugin());
        services.AddSingleton<IVideoPlugin>(new FrameSquarePlugin());
    }
}

/// <summary>
/// On frame k, the box where <see cref="VariableFrameRateClip"/> draws frame k's square. It goes by the frame's
/// index alone, so a box drawn over the wrong frame lands beside that frame's square.
/// </summary>
public sealed class FrameSquarePlugin() : AnalyserPlugin(PluginId, ToolId, "Frame square", "Frame k's box at x = 20 k, for timing tests.")
{
    public const string PluginId = "frame-square";
    public const string ToolId = "frame_square";

    public override IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex)
    {
        var left = VariableFrameRateClip.SquareLeft(frameIndex);
        const int Top = VariableFrameRateClip.Top, Side = VariableFrameRateClip.Side;
        return [new DetectedObject(left, Top, left + Side, Top + Side, 0.9f, 0, "square", null)];
    }
}

/// <summary>A box over the middle half of the frame (x and y from ¼ to ¾), on every frame.</summary>
public sealed class FixedBoxPlugin() : AnalyserPlugin(PluginId, ToolId, "Fixed box", "A box at known pixels, for player tests.")
{
    public const string PluginId = "fixed-box";
    public const string ToolId = "fixed_box";

    public override IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex) =>
        [new DetectedObject(frame.Width / 4f, frame.Height / 4f, frame.Width * 3 / 4f, frame.Height * 3 / 4f, 0.9f, 0, "box", null)];
}

/// <summary>
/// The overlay player in Debian's Chromium: the boxes land on the picture's pixels whatever the clip's
/// shape, because they are drawn in the rectangle where the video element shows the picture.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class PlayerOverlayTests(FixedBoxKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<FixedBoxKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    private const int Box = 400; // the video element is forced to 400×400 CSS pixels, so every clip is letter- or pillarboxed

    [BrowserFact]
    public async Task Overlay_On4By3_16By9And9By16Clips_DrawsTheKnownBoxOnTheKnownPixels()
    {
        using var client = app.CreateClient();
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        foreach (var (width, height) in new[] { (320, 240), (320, 180), (180, 320) })
        {
            var clip = TestClips.MovingSquare(app.Clips.Path, frames: 10, width: width, height: height, fps: 10, name: $"clip-{width}x{height}.avi");
            var jobId = await client.SubmitCompletedAsync(clip, FixedBoxPlugin.PluginId, FixedBoxPlugin.ToolId);

            await page.GotoAsync($"{app.BaseUrl}/jobs/{jobId}");
            await page.AddStyleTagAsync(new() { Content = $".vt-player video {{ width: {Box}px !important; height: {Box}px !important; max-height: none !important; }}" });
            await page.WaitForFunctionAsync("() => (document.querySelector('.vt-player video')?.readyState ?? 0) >= 2", null, new() { Timeout = 60_000 });

            // Where the picture must be: scaled to fit 400×400, centred.
            var scale = Math.Min(Box / (double)width, Box / (double)height);
            var left = (Box - width * scale) / 2;
            var top = (Box - height * scale) / 2;
            double X(double source) => left + source * scale;
            double Y(double source) => top + source * scale;
            var (x1, y1, x2, y2) = (X(width / 4.0), Y(height / 4.0), X(width * 3 / 4.0), Y(height * 3 / 4.0));
            var midY = (y1 + y2) / 2;
            var midX = (x1 + x2) / 2;

            var shape = $"{width}x{height}";
            await page.WaitForFunctionAsync(
                "([x, y]) => { const c = document.querySelector('.vt-player canvas'); return c && c.width > 0 && c.getContext('2d').getImageData(x, y, 1, 1).data[3] > 0; }",
                new[] { (int)Math.Floor(x1), (int)Math.Floor(midY) },
                new() { Timeout = 30_000 });

            Assert.True(await AlphaAsync(page, x1, midY) > 200, $"{shape}: the left edge of the box should be drawn at ({x1:0}, {midY:0}).");
            Assert.True(await AlphaAsync(page, x2, midY) > 200, $"{shape}: the right edge of the box should be drawn at ({x2:0}, {midY:0}).");
            Assert.True(await AlphaAsync(page, midX, y2) > 200, $"{shape}: the bottom edge of the box should be drawn at ({midX:0}, {y2:0}).");
            Assert.Equal(0, await AlphaAsync(page, midX, midY));
            Assert.Equal(0, await AlphaAsync(page, x2 + 6, midY));
            Assert.Equal(0, await AlphaAsync(page, x1 - 6, midY));
            Assert.Equal(0, await AlphaAsync(page, midX, y2 + 6));
            var canvas = await page.EvaluateAsync<int[]>("() => { const c = document.querySelector('.vt-player canvas'); return [c.width, c.height]; }");
            Assert.Equal([Box, Box], canvas);
        }
    }

    [BrowserFact]
    public async Task Overlay_SeekingALongerClip_FetchesOnlyTimeWindowsAroundThePlayheadAndDrawsThere()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 300, width: 160, height: 120, fps: 10, name: "thirty-seconds.avi");
        var jobId = await client.SubmitCompletedAsync(clip, FixedBoxPlugin.PluginId, FixedBoxPlugin.ToolId);
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var requests = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/v1/video/results/", StringComparison.Ordinal))
            {
                lock (requests)
                {
                    requests.Add(request.Url);
                }
            }
        };

        await page.GotoAsync($"{app.BaseUrl}/jobs/{jobId}");
        await page.WaitForFunctionAsync("() => (document.querySelector('.vt-player video')?.readyState ?? 0) >= 2", null, new() { Timeout = 60_000 });

        // The player is attached once it has asked for the first window; a seek before that would go unheard.
        for (var i = 0; i < 300; i++)
        {
            lock (requests)
            {
                if (requests.Any(url => url.Contains("from_ms=0&to_ms=5000", StringComparison.Ordinal)))
                {
                    break;
                }
            }

            await Task.Delay(100);
        }

        await new JobPageObject(page).SeekAsync(22.05);

        // The box (x from 40 to 120 of 160) is drawn at the new playhead.
        await page.WaitForFunctionAsync(
            @"() => {
                const c = document.querySelector('.vt-player canvas');
                const video = document.querySelector('.vt-player video');
                const x = Math.floor(c.width / 4), y = Math.floor(c.height / 2);
                return c.width > 0 && c.getContext('2d').getImageData(x, y, 1, 1).data[3] > 200;
            }",
            null,
            new() { Timeout = 30_000 });

        // The next window is prefetched once the current one is drawn; give that request time to go out.
        string[] seen;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            lock (requests)
            {
                seen = [.. requests];
            }

            if (DateTime.UtcNow > deadline || (seen.Any(url => url.Contains("from_ms=20000&to_ms=25000", StringComparison.Ordinal))
                && seen.Any(url => url.Contains("from_ms=25000&to_ms=30000", StringComparison.Ordinal))))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.All(seen, url => Assert.Contains("from_ms=", url, StringComparison.Ordinal));
        Assert.Contains(seen, url => url.Contains("from_ms=20000&to_ms=25000", StringComparison.Ordinal));
        Assert.Contains(seen, url => url.Contains("from_ms=25000&to_ms=30000", StringComparison.Ordinal));
        Assert.DoesNotContain(seen, url => url.Contains("from_ms=10000&", StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task Overlay_OnAVariableFrameRateClip_DrawsEachFramesBoxOnThatFrameWhenSeekingAndPlaying()
    {
        // A clip whose frames are 40 ms to 820 ms apart (ffprobe reads back the times they were written at).
        var clip = await VariableFrameRateClip.CreateAsync(app.Clips.Path);
        var count = clip.TimestampsMs.Count;
        Assert.Equal(Enumerable.Range(0, 14).Select(VariableFrameRateClip.WrittenMs), clip.TimestampsMs);
        var gaps = clip.TimestampsMs.Zip(clip.TimestampsMs.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.Max() >= 10 * gaps.Min(), $"frame gaps {string.Join(", ", gaps)} ms");

        using var client = app.CreateClient();
        var jobId = await client.SubmitCompletedAsync(clip.Path, FrameSquarePlugin.PluginId, FrameSquarePlugin.ToolId);

        // Each frame's timestamp_ms is when it is presented, not its index over a frame rate.
        var frames = (await client.GetJsonAsync($"/v1/video/results/{jobId}")).GetProperty("results").GetProperty("frames");
        Assert.Equal(clip.TimestampsMs, frames.EnumerateArray().Select(f => f.GetProperty("timestamp_ms").GetDouble()));

        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        await page.GotoAsync($"{app.BaseUrl}/jobs/{jobId}");

        // Twice the clip's size, so one source pixel is two CSS pixels and the picture fills the element.
        const int Scale = 2;
        await page.AddStyleTagAsync(new()
        {
            Content = $".vt-player video {{ width: {VariableFrameRateClip.Width * Scale}px !important; height: {VariableFrameRateClip.Height * Scale}px !important; max-height: none !important; max-width: none !important; }}",
        });
        await page.WaitForFunctionAsync("() => (document.querySelector('.vt-player video')?.readyState ?? 0) >= 2", null, new() { Timeout = 60_000 });
        const int MidY = (VariableFrameRateClip.Top + (VariableFrameRateClip.Side / 2)) * Scale;
        await page.WaitForFunctionAsync(
            "([x, y]) => { const c = document.querySelector('.vt-player canvas'); return c && c.width > 0 && c.getContext('2d').getImageData(x, y, 1, 1).data[3] > 200; }",
            new[] { VariableFrameRateClip.SquareLeft(0) * Scale, MidY },
            new() { Timeout = 30_000 });

        // What is on screen along one row: the left edge of the video's white square, read from the decoded picture,
        // and the left edge of the box on the overlay canvas, both in source pixels (-1 when there is none).
        await page.EvaluateAsync(
            @"() => {
                const pictureSquareLeft = " + VariableFrameRateClip.SquareLeftScript + @";
                window.vtProbe = (video, y, scale) => {
                    const square = pictureSquareLeft(video, Math.floor(y / scale));
                    const overlay = document.querySelector('.vt-player canvas');
                    const drawn = overlay.getContext('2d').getImageData(0, y, overlay.width, 1).data;
                    let box = -1;
                    for (let x = 0; x < overlay.width; x++) { if (drawn[4 * x + 3] > 200) { box = Math.floor((x + 1) / scale); break; } }
                    return [square, box];
                };
            }");

        // Paused on frames whose times are off any constant-rate grid: the square on screen and the box drawn are frame k's.
        foreach (var k in new[] { 3, 6, 9, 12 })
        {
            var shown = await page.EvaluateAsync<int[]>(
                @"async ([seconds, y, scale]) => {
                    const video = document.querySelector('.vt-player video');
                    const seeked = new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }));
                    video.currentTime = seconds;
                    await seeked;
                    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
                    return window.vtProbe(video, y, scale);
                }",
                new object[] { (clip.TimestampsMs[k] + 5) / 1000.0, MidY, Scale });
            Assert.True(
                Math.Abs(shown[0] - VariableFrameRateClip.SquareLeft(k)) <= 3 && Math.Abs(shown[1] - VariableFrameRateClip.SquareLeft(k)) <= 3,
                $"At {clip.TimestampsMs[k] + 5} ms (frame {k}, square at x = {VariableFrameRateClip.SquareLeft(k)}) the video shows a square at x = {shown[0]} and the box is drawn at x = {shown[1]}.");
        }

        // Playing: on each presented frame (requestVideoFrameCallback, after the player's own), the box drawn is that frame's.
        var samples = await page.EvaluateAsync<double[][]>(
            @"async ([y, scale]) => {
                const video = document.querySelector('.vt-player video');
                video.currentTime = 0;
                await new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }));
                const samples = [];
                await new Promise(resolve => {
                    const sample = (now, metadata) => {
                        samples.push([metadata.mediaTime * 1000, ...window.vtProbe(video, y, scale)]);
                        if (video.ended || samples.length > 200) { resolve(); } else { video.requestVideoFrameCallback(sample); }
                    };
                    video.requestVideoFrameCallback(sample);
                    video.addEventListener('ended', () => setTimeout(resolve, 100), { once: true });
                    video.muted = true;
                    video.play();
                });
                return samples;
            }",
            new object[] { MidY, Scale });
        // The box follows the presented frame's mediaTime exactly; the picture read back in the same callback can already
        // be the next frame on a busy machine (frames 40 ms apart), so it must match for most samples, not all.
        var indices = samples.Select(sample => clip.TimestampsMs.Count(t => t <= sample[0] + 1) - 1).ToList();
        Assert.True(indices.Distinct().Count() >= count / 2, $"only {indices.Distinct().Count()} of {count} frames were presented while playing");
        var pictureMatches = 0;
        foreach (var (sample, index) in samples.Zip(indices))
        {
            var left = VariableFrameRateClip.SquareLeft(index);
            Assert.True(
                Math.Abs(sample[2] - left) <= 3,
                $"Playing, at mediaTime {sample[0]} ms (frame {index}, square at x = {left}) the box is drawn at x = {sample[2]}.");
            pictureMatches += Math.Abs(sample[1] - left) <= 3 ? 1 : 0;
        }

        Assert.True(
            pictureMatches * 2 >= samples.Length,
            $"Playing, the picture showed the presented frame's square in only {pictureMatches} of {samples.Length} samples: "
            + string.Join("; ", samples.Select(sample => $"{sample[0]} ms: square {sample[1]}, box {sample[2]}")));
    }

    [BrowserFact]
    public async Task Overlay_OfAJobStoppedByMaxFrames_MarksTheAnalysedRangeAndSaysFramesPastItWereNotAnalysed()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 100, width: 160, height: 120, fps: 10, name: "partly-analysed.avi");
        var jobId = await client.SubmitCompletedAsync(clip, FixedBoxPlugin.PluginId, FixedBoxPlugin.ToolId, new Dictionary<string, string> { ["max_frames"] = "30" });
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        var job = await JobPageObject.OpenAsAdminAsync(context, app.BaseUrl, jobId);
        var page = job.Page;
        await page.WaitForFunctionAsync("() => (document.querySelector('.vt-player video')?.readyState ?? 0) >= 2", null, new() { Timeout = 60_000 });

        // Which part was analysed, in words and on a bar under the clip: 30 of its 100 frames.
        await Assertions.Expect(page.Locator("[data-testid=player-range-note]")).ToContainTextAsync("Analysed frames 0–29 of 100 (0:00–0:02).");
        var share = await page.EvaluateAsync<double>("() => document.querySelector('.vt-range-analysed').getBoundingClientRect().width / document.querySelector('.vt-range-bar').getBoundingClientRect().width");
        Assert.InRange(share, 0.29, 0.31);

        // A box (x from 40 to 120 of 160) is drawn inside the analysed frames; the notice is not shown there.
        var notice = page.Locator("[data-testid=player-not-analysed]");
        await job.SeekAsync(1.55);
        await page.WaitForFunctionAsync(BoxDrawn, null, new() { Timeout = 30_000 });
        await Assertions.Expect(notice).ToBeHiddenAsync();

        // Past them, nothing is drawn and the picture says why, rather than suggesting that nothing was found there.
        await job.SeekAsync(6.05);
        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToHaveTextAsync("Not analysed: the job analysed frames 0–29 only.");
        Assert.False(await page.EvaluateAsync<bool>(BoxDrawn));

        // Back inside, the box returns and the notice goes.
        await job.SeekAsync(2.05);
        await page.WaitForFunctionAsync(BoxDrawn, null, new() { Timeout = 30_000 });
        await Assertions.Expect(notice).ToBeHiddenAsync();
    }

    /// <summary>Whether the left edge of the fixed box is drawn on the overlay canvas, half-way down.</summary>
    private const string BoxDrawn =
        @"() => {
            const c = document.querySelector('.vt-player canvas');
            return c.width > 0 && c.getContext('2d').getImageData(Math.floor(c.width / 4), Math.floor(c.height / 2), 1, 1).data[3] > 200;
        }";

    [Fact]
    public async Task Job_WhenItRuns_EncodesThePreviewInTheBackgroundWithoutAnyoneAskingForIt()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 30, width: 160, height: 120, fps: 10, name: "background-preview.avi");
        var jobId = await client.SubmitCompletedAsync(clip, FixedBoxPlugin.PluginId, FixedBoxPlugin.ToolId);
        var previews = app.Services.GetRequiredService<PreviewVideos>();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (previews.StateOf(jobId) is not PreviewState.Ready && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.IsType<PreviewState.Ready>(previews.StateOf(jobId));
        Assert.True(new FileInfo(previews.PathFor(jobId)).Length > 1000);
    }

    /// <summary>The alpha of the canvas pixel that contains the point: inside a 2-pixel line centred on it, it is fully covered.</summary>
    private static Task<int> AlphaAsync(IPage page, double x, double y) =>
        page.EvaluateAsync<int>(
            "([x, y]) => document.querySelector('.vt-player canvas').getContext('2d').getImageData(x, y, 1, 1).data[3]",
            new[] { (int)Math.Floor(x), (int)Math.Floor(y) });
}
