using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using OpenCvSharp.Dnn;
using VideoTracker.Core.Detection;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Benchmarks;

/// <summary>How the app host of an end-to-end run detects: the model and the <see cref="DetectionOptions"/> measured.</summary>
internal sealed record JobSettings(string Model, int Threads, bool Spin, bool FfmpegDecode, int Lanes);

/// <summary>The measurements the benchmark command runs, each side by side with the others in one process.</summary>
internal static class Measurements
{
    private static readonly string[] FfmpegCandidates = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"];
    private static readonly Dictionary<JobSettings, (IHost Host, string Data)> Hosts = [];

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// Starts a new peak: on Linux the process's peak resident set (VmHWM, which <see cref="Process.PeakWorkingSet64"/> reads)
    /// is reset to its current size, so the next reading is the peak of what ran since. False where that cannot be done.
    /// </summary>
    internal static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Loops the clip to the length asked, scaled to 1920x1080 at 30 fps, H.264 (x264 veryfast, yuv420p): a
    // typical 1080p camera file. Made once per length in the temp folder.
    internal static string? MakeHdClip(string clip, int seconds)
    {
        var ffmpeg = FfmpegCandidates.FirstOrDefault(File.Exists);
        if (ffmpeg is null)
        {
            return null;
        }

        var path = Path.Combine(Path.GetTempPath(), $"videotracker-bench-{Path.GetFileNameWithoutExtension(clip)}-1080p30-{seconds}s.mp4");
        if (File.Exists(path))
        {
            return path;
        }

        var partial = path + ".partial.mp4";
        var start = new ProcessStartInfo(ffmpeg)
        {
            ArgumentList =
            {
                "-v", "error", "-y", "-stream_loop", "-1", "-i", clip, "-t", seconds.ToString(CultureInfo.InvariantCulture),
                "-vf", "scale=1920:1080,fps=30", "-an", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", partial,
            },
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make the 1080p clip: " + errors);
        }

        File.Move(partial, path);
        return path;
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static void Report(string name, int frames, double seconds, double? cpuSeconds = null) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-40} {frames / seconds,8:0.0} fps  ({frames} frames in {seconds:0.00} s{(cpuSeconds is { } c ? $", {c * 1000 / frames:0.0} CPU ms per frame" : string.Empty)})"));

    /// <summary>
    /// This process's CPU time plus that of its finished child processes (the ffmpeg that decodes a job, the
    /// encoders), so a job that hands work to ffmpeg is not measured as cheaper than it is.
    /// </summary>
    internal static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds + ChildCpuSeconds();

    // cutime + cstime of /proc/self/stat (fields 16 and 17, in USER_HZ = 100 ticks a second on Linux): the
    // CPU of children that have exited and been waited for.
    private static double ChildCpuSeconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return 0;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    internal static string? FindSharedModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", DetectionOptions.DefaultModelFileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static (int Frames, double Seconds) DecodeOnly(string clip, int? limit)
    {
        using var capture = DetectionPipeline.OpenCapture(clip);
        using var frame = new Mat();
        var frames = 0;
        var watch = Stopwatch.StartNew();
        while ((limit is null || frames < limit) && capture.Read(frame) && !frame.Empty())
        {
            frames++;
        }

        return (frames, watch.Elapsed.TotalSeconds);
    }

    internal static async Task<(int Frames, double Seconds, double CpuSeconds)> PipelineOnlyAsync(string clip, string model, int threads, bool spin, int? limit, int lanes)
    {
        using var session = new DetectorSession(model, "cpu", threads, spin);
        using var pipeline = new DetectionPipeline(session, lanes: lanes);
        var request = new VideoTracker.Core.Plugins.ToolRequest(clip, "cpu", VideoTracker.Core.Plugins.ToolOptions.Empty, new NullSink(), Path.GetTempPath());
        var settings = new DetectionSettings(0.3f, 0.45f, 0);
        await pipeline.RunAsync(request, new VideoTracker.Core.Video.FrameSelection(1, 10), settings, (k, _, _) => [], null, new Progress<VideoTracker.Core.Progress.FrameProgress>(), CancellationToken.None);
        var cpu = CpuSeconds();
        var watch = Stopwatch.StartNew();
        var summary = await pipeline.RunAsync(request, new VideoTracker.Core.Video.FrameSelection(1, limit), settings, (k, _, _) => [], null, new NoProgress(), CancellationToken.None);
        return (summary.TotalFrames, watch.Elapsed.TotalSeconds, CpuSeconds() - cpu);
    }

    internal static (int Frames, double Seconds) DecodeAndPreprocess(string clip, string model, int? limit)
    {
        using var session = new DetectorSession(model, "cpu", 1);
        using var preprocessor = new FramePreprocessor(session.Spec);
        var tensor = preprocessor.CreateInputBuffer();
        using var capture = DetectionPipeline.OpenCapture(clip);
        using var frame = new Mat();
        var frames = 0;
        var watch = Stopwatch.StartNew();
        while ((limit is null || frames < limit) && capture.Read(frame) && !frame.Empty())
        {
            preprocessor.Fill(frame, tensor);
            frames++;
        }

        return (frames, watch.Elapsed.TotalSeconds);
    }

    /// <summary>A handful of real frames, letterboxed once; the timed loops cycle through them.</summary>
    internal static List<float[]> PreprocessedFrames(string clip, ModelSpec spec, int count)
    {
        using var capture = DetectionPipeline.OpenCapture(clip);
        using var frame = new Mat();
        using var preprocessor = new FramePreprocessor(spec);
        var tensors = new List<float[]>();
        while (tensors.Count < count && capture.Read(frame) && !frame.Empty())
        {
            var tensor = preprocessor.CreateInputBuffer();
            preprocessor.Fill(frame, tensor);
            tensors.Add(tensor);
        }

        return tensors;
    }

    /// <summary>
    /// Preprocessed frames through <c>InferenceSession.Run</c> and nothing else. With more than one lane, that
    /// many threads call <c>Run</c> on the one session at once, each with its own output, as the pipeline's
    /// inference lanes do (<see cref="DetectionOptions.InferenceLanes"/>).
    /// </summary>
    internal static (int Frames, double Seconds, double CpuSeconds) ModelOnly(string clip, string model, int threads, bool spin, int frames, int lanes = 1)
    {
        using var session = new DetectorSession(model, "cpu", threads, spin);
        var spec = session.Spec;
        var tensors = PreprocessedFrames(clip, spec, 16);
        var inputs = tensors.Select(t => OrtValue.CreateTensorValueFromMemory(t, spec.InputShape)).ToList();
        var outputs = Enumerable.Range(0, lanes).Select(_ => OrtValue.CreateTensorValueFromMemory(new float[spec.OutputLength], spec.OutputShape)).ToList();
        using var runOptions = new RunOptions();
        string[] inputNames = [spec.InputName];
        string[] outputNames = [spec.OutputName];
        var inputArrays = inputs.Select(v => new[] { v }).ToList();
        void RunLane(int lane, int count)
        {
            OrtValue[] output = [outputs[lane]];
            for (var i = lane; i < count * lanes; i += lanes)
            {
                session.Session.Run(runOptions, inputNames, inputArrays[i % inputs.Count], outputNames, output);
            }
        }

        Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane => RunLane(lane, 5));
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = CpuSeconds();
        var watch = Stopwatch.StartNew();
        var perLane = frames / lanes;
        Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane => RunLane(lane, perLane));
        var seconds = watch.Elapsed.TotalSeconds;
        cpu = CpuSeconds() - cpu;
        frames = perLane * lanes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (model only, {lanes} lane{(lanes == 1 ? string.Empty : "s")}: managed allocations {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)frames / 1024:0.0} KB per frame)"));
        inputs.ForEach(v => v.Dispose());
        outputs.ForEach(v => v.Dispose());
        return (frames, seconds, cpu);
    }

    internal static (int Frames, double Seconds) OpenCvDnn(string clip, string model, int frames)
    {
        using var session = new DetectorSession(model, "cpu", 1);
        var spec = session.Spec;
        var tensors = PreprocessedFrames(clip, spec, 16);
        using var net = CvDnn.ReadNetFromOnnx(model) ?? throw new InvalidOperationException("OpenCV DNN could not read the model.");
        var blobs = tensors.Select(t => Mat.FromPixelData([1, 3, spec.InputHeight, spec.InputWidth], MatType.CV_32FC1, t)).ToList();
        for (var i = 0; i < 3; i++)
        {
            net.SetInput(blobs[i % blobs.Count]);
            using var warm = net.Forward();
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < frames; i++)
        {
            net.SetInput(blobs[i % blobs.Count]);
            using var output = net.Forward();
        }

        var seconds = watch.Elapsed.TotalSeconds;
        blobs.ForEach(b => b.Dispose());
        return (frames, seconds);
    }

    internal static async Task<(int Frames, double Seconds, double CpuSeconds)> EndToEndAsync(
        string clip, JobSettings settings, string tool, int? limit, Dictionary<string, string?>? toolOptions = null, string plugin = YoloTrackerPlugin.PluginId)
    {
        var host = await HostAsync(settings);
        var submitter = host.Services.GetRequiredService<JobSubmitter>();
        var store = host.Services.GetRequiredService<JobStore>();

        // A short warm-up job loads the model, so the timed job measures steady-state throughput.
        await RunJobAsync(submitter, store, clip, plugin, tool, new Dictionary<string, string?>(toolOptions ?? []) { ["max_frames"] = "10" });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = CpuSeconds();
        var startedAt = DateTime.UtcNow;
        var job = await RunJobAsync(submitter, store, clip, plugin, tool, new Dictionary<string, string?>(toolOptions ?? []) { ["max_frames"] = limit?.ToString(CultureInfo.InvariantCulture) });

        // From the upload to the moment the job row says completed (not when the 200-ms poll saw it).
        var seconds = (job.CompletedAt!.Value - startedAt).TotalSeconds;
        cpu = CpuSeconds() - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var summary = await VideoTracker.Core.Results.ResultsReader.ReadSummaryAsync(
            host.Services.GetRequiredService<JobFiles>().ExistingResults(job)!, CancellationToken.None);
        var queued = (job.StartedAt - job.CreatedAt)?.TotalMilliseconds;
        var ran = (job.CompletedAt - job.StartedAt)?.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (job: {summary.TotalDetections} detections, queued {queued:0} ms, ran {ran:0.00} s; managed allocations {allocated / (double)summary.TotalFrames / 1024:0.0} KB per frame incl. the job's fixed cost, gen2 collections {GC.CollectionCount(2)})"));
        return (summary.TotalFrames, seconds, cpu);
    }

    /// <summary>
    /// The app host for these settings, started on first use and kept: the runs of one setting go through one
    /// host, as a server runs job after job, so only the first pays for starting up (the JIT's tiering, EF's
    /// compiled queries). The detection job alone runs (no preview): in the app the preview encode runs
    /// beside it at idle priority.
    /// </summary>
    private static async Task<IHost> HostAsync(JobSettings settings)
    {
        if (Hosts.TryGetValue(settings, out var kept))
        {
            return kept.Host;
        }

        var data = Path.Combine(Path.GetTempPath(), "videotracker-bench-" + Guid.NewGuid().ToString("N"));
        var host = BenchmarkHost.CreateBuilder(data, settings.Model, preparePreview: false, new Dictionary<string, string?>
        {
            ["Detection:IntraOpThreads"] = settings.Threads.ToString(CultureInfo.InvariantCulture),
            ["Detection:AllowSpinning"] = settings.Spin ? "true" : "false",
            ["Detection:DecodeWithFfmpeg"] = settings.FfmpegDecode ? "true" : "false",
            ["Detection:InferenceLanes"] = settings.Lanes.ToString(CultureInfo.InvariantCulture),
        }).Build();
        await host.StartAsync();
        Hosts[settings] = (host, data);
        return host;
    }

    /// <summary>Stops every host <see cref="EndToEndAsync"/> started and deletes their data folders.</summary>
    internal static async Task StopHostsAsync()
    {
        foreach (var (host, data) in Hosts.Values)
        {
            await host.StopAsync();
            host.Dispose();
            Directory.Delete(data, recursive: true);
        }

        Hosts.Clear();
    }

    internal static async Task<VideoJob> RunJobAsync(JobSubmitter submitter, JobStore store, string clip, string plugin, string tool, Dictionary<string, string?> options)
    {
        await using var file = File.OpenRead(clip);
        var staged = await submitter.StageAsync(file, Path.GetFileName(clip), CancellationToken.None)
            ?? throw new InvalidOperationException("The clip is larger than Storage:MaxUploadBytes.");
        var outcome = await submitter.SubmitAsync(new SubmitCommand(staged, plugin, tool, "cpu", options), CancellationToken.None);
        var job = outcome.Match(a => a.Job, r => throw new InvalidOperationException("Submit refused: " + r.Detail));
        while (true)
        {
            await Task.Delay(200);
            var now = await store.FindAsync(job.JobId, CancellationToken.None);
            if (now?.Status is JobStatus.Completed)
            {
                return now;
            }

            if (now?.Status is JobStatus.Failed or JobStatus.Cancelled or null)
            {
                throw new InvalidOperationException($"The job ended as {now?.Status}: {now?.Error}");
            }
        }
    }

    internal sealed class NullSink : VideoTracker.Core.Plugins.IFrameSink
    {
        public ValueTask WriteAsync(VideoTracker.Core.Plugins.FrameDetections frame, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class NoProgress : IProgress<VideoTracker.Core.Progress.FrameProgress>
    {
        public void Report(VideoTracker.Core.Progress.FrameProgress value)
        {
        }
    }
}
