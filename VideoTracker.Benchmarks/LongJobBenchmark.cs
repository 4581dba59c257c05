using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoTracker.Core;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Progress;
using VideoTracker.Core.Video;

namespace VideoTracker.Benchmarks;

/// <summary>
/// <c>VideoTracker.Benchmarks make-job &lt;data dir&gt; &lt;clip&gt; [--synthetic-frames N --detections D --fps F [--untracked]] [--tool T]</c>:
/// makes one completed job in a data folder, through the real submitter, queue, runner and results writer,
/// for <c>bench/long-job-page.sh</c> to open in Chromium. With <c>--synthetic-frames</c> the tool writes N
/// frames of D moving detections at F fps without decoding (a long job without hours of video), with track ids
/// unless <c>--untracked</c> (as a detection job writes them); otherwise the
/// named YOLO tool runs on the clip. Prints the job id last.
/// </summary>
public static class LongJobBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (positional.Count < 2)
        {
            Console.Error.WriteLine("usage: VideoTracker.Benchmarks make-job <data dir> <clip> [--synthetic-frames N] [--detections 10] [--fps 30] [--untracked] [--tool video_player_tracking] [--model m.onnx]");
            return 2;
        }

        var data = Path.GetFullPath(positional[0]);
        var clip = Path.GetFullPath(positional[1]);
        var synthetic = Option("--synthetic-frames") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : (int?)null;
        var builder = BenchmarkHost.CreateBuilder(
            data, Option("--model") ?? Environment.GetEnvironmentVariable("Detection__ModelPath") ?? string.Empty, preparePreview: synthetic is null);
        var plugin = new SyntheticPlugin(
            synthetic ?? 0,
            int.Parse(Option("--detections") ?? "10", CultureInfo.InvariantCulture),
            double.Parse(Option("--fps") ?? "30", CultureInfo.InvariantCulture),
            tracked: !args.Contains("--untracked"));
        builder.Services.AddSingleton<IVideoPlugin>(plugin);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var submitter = host.Services.GetRequiredService<JobSubmitter>();
            var store = host.Services.GetRequiredService<JobStore>();
            await using var file = File.OpenRead(clip);
            var staged = await submitter.StageAsync(file, Path.GetFileName(clip), CancellationToken.None)
                ?? throw new InvalidOperationException("The clip is larger than Storage:MaxUploadBytes.");
            var command = synthetic is null
                ? new SubmitCommand(staged, VideoTracker.Core.Detection.YoloTrackerPlugin.PluginId, Option("--tool") ?? "video_player_tracking", "cpu", new Dictionary<string, string?>())
                : new SubmitCommand(staged, SyntheticPlugin.PluginId, SyntheticPlugin.ToolId, "cpu", new Dictionary<string, string?>());
            var outcome = await submitter.SubmitAsync(command, CancellationToken.None);
            var job = outcome.Match(a => a.Job, r => throw new InvalidOperationException("Submit refused: " + r.Detail));
            var watch = Stopwatch.StartNew();
            while (true)
            {
                await Task.Delay(200);
                var now = await store.FindAsync(job.JobId, CancellationToken.None);
                if (now?.Status is JobStatus.Completed)
                {
                    break;
                }

                if (now?.Status is JobStatus.Failed or JobStatus.Cancelled or null)
                {
                    throw new InvalidOperationException($"The job ended as {now?.Status}: {now?.Error}");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"job done in {watch.Elapsed.TotalSeconds:0.0}s"));
            if (synthetic is null)
            {
                // The preview started with the job; wait for it, as the page would.
                var previews = host.Services.GetRequiredService<PreviewVideos>();
                var seen = await store.FindAsync(job.JobId, CancellationToken.None);
                await previews.GetOrCreateAsync(seen!, CancellationToken.None);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"preview ready {watch.Elapsed.TotalSeconds:0.0}s after the job started"));
            }

            Console.WriteLine(job.JobId);
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Writes N frames of D detections walking across the clip's frame, with track ids (unless not
    /// <paramref name="tracked"/>), without decoding it.</summary>
    private sealed class SyntheticPlugin(int frames, int detections, double fps, bool tracked) : IVideoPlugin, IVideoTool
    {
        public const string PluginId = "bench-synthetic";
        public const string ToolId = "synthetic_long";

        public string Id => PluginId;

        public string Title => "Synthetic long job";

        public string Version => "0.0.1";

        public string Description => "Benchmark only.";

        public IReadOnlyList<IVideoTool> Tools => [this];

        public ToolManifest Manifest { get; } = new(ToolId, "Synthetic", "N frames of D detections.", [ToolManifest.VideoInput], []);

        public ToolAvailability GetAvailability() => ToolAvailability.Yes;

        public async Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken)
        {
            VideoInfo info;
            using (var capture = FrameLoop.OpenOrThrow(request.VideoPath))
            {
                info = VideoProbe.ReadInfo(capture);
            }

            float w = Math.Max(4, info.Width / 20), h = Math.Max(4, info.Height / 6);
            for (var i = 0; i < frames; i++)
            {
                var list = new List<DetectedObject>(detections);
                for (var d = 0; d < detections; d++)
                {
                    var x = (i + d * info.Width / detections) % (info.Width - w);
                    var y = d * (info.Height - h) / Math.Max(1, detections - 1);
                    list.Add(new DetectedObject(x, y, x + w, y + h, 0.9f, 0, "person", tracked ? d + 1 : null));
                }

                await request.Frames.WriteAsync(new FrameDetections(i, FrameLoop.TimestampMs(i, fps), list), cancellationToken);
                if (i % 1000 == 0)
                {
                    progress.Report(new FrameProgress(i + 1, frames));
                }
            }

            progress.Report(new FrameProgress(frames, frames));
            return new ToolRunSummary(frames, frames, frames, false);
        }
    }
}
