using Microsoft.AspNetCore.Builder;
using OpenCvSharp;
using VideoTracker.Core.Detection;
using VideoTracker.Tests.Support;
using VideoTracker.Tests.Video;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// The annotated MP4 as <see cref="AnnotatedVideo"/> writes it (each decoded frame with its <see cref="FrameClock"/>
/// time, as the detection pipeline hands them over), played by Debian's Chromium: seeking to a frame's time shows
/// that frame, on a variable-frame-rate clip too.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class AnnotatedVideoTimingTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    [BrowserFact]
    public async Task Mp4OfAVariableFrameRateClip_SeekingToAFramesTime_ShowsThatFrameInChromium()
    {
        var clip = await VariableFrameRateClip.CreateAsync(_temp.Path);
        var output = _temp.Combine("out");
        Directory.CreateDirectory(output);
        using (var capture = new VideoCapture(clip.Path))
        {
            var clock = new FrameClock(capture.Fps);
            await using var video = new AnnotatedVideo(new FfmpegLocator(FfmpegFrameReaderTests.Ffmpeg), output, capture.Fps);
            using var frame = new Mat();
            for (var i = 0; capture.Read(frame) && !frame.Empty(); i++)
            {
                await video.WriteAsync(frame, i, clock.Next(capture), [], analysed: true, CancellationToken.None);
            }

            Assert.Equal(AnnotatedVideo.FileName, await video.CompleteAsync(CancellationToken.None));
        }

        var mp4 = Path.Combine(output, AnnotatedVideo.FileName);

        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Content("<!doctype html><video muted src=\"/annotated.mp4\"></video>", "text/html"));
            app.MapGet("/annotated.mp4", () => Microsoft.AspNetCore.Http.Results.File(mp4, "video/mp4", enableRangeProcessing: true));
        });
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.querySelector('video').readyState >= 2", null, new() { Timeout = 30_000 });

        // Frames 40 ms to 790 ms apart: at a constant rate, these times would show other frames.
        foreach (var k in new[] { 3, 6, 9, 12 })
        {
            var squareLeft = await page.EvaluateAsync<int>(
                @"async ([seconds, y]) => {
                    const video = document.querySelector('video');
                    const seeked = new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }));
                    const presented = new Promise(resolve => video.requestVideoFrameCallback(resolve));
                    video.currentTime = seconds;
                    await seeked;
                    // 'seeked' can come before the new frame is on screen on a busy machine: wait until it is presented.
                    await Promise.race([presented, new Promise(resolve => setTimeout(resolve, 3000))]);
                    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
                    return (" + VariableFrameRateClip.SquareLeftScript + @")(video, y);
                }",
                new object[] { (clip.TimestampsMs[k] + 5) / 1000.0, VariableFrameRateClip.Top + (VariableFrameRateClip.Side / 2) });
            Assert.True(
                Math.Abs(squareLeft - VariableFrameRateClip.SquareLeft(k)) <= 3,
                $"At {clip.TimestampsMs[k] + 5} ms (frame {k}, square at x = {VariableFrameRateClip.SquareLeft(k)}) the MP4 shows a square at x = {squareLeft}.");
        }
    }

    public void Dispose() => _temp.Dispose();
}
