using System.Diagnostics;
using System.Globalization;
using VideoTracker.Benchmarks;
using VideoTracker.Core.Detection;
using VideoTracker.Core.Tracking;
using static VideoTracker.Benchmarks.Measurements;

// Usage: dotnet run -c Release --project VideoTracker.Benchmarks -- <clip> [--model path] [--threads N] [--frames N] [--repeat N] [--spin]
//        [--tracking] [--hd] [--hd-seconds 60] [--dnn-frames N] [--lanes N] [--compare-lanes]
// Measures, side by side on this machine: decode-only fps, model-only fps (preprocessed frames through
// InferenceSession.Run), end-to-end fps of a real job (submit, queue, SQLite, progress, results), and the
// same model through OpenCV DNN; then the ratios and the peak working set. --tracking adds, in the same
// alternation, the tracking job (ByteTrack, track table) and the tracking job with camera_motion, to show
// what the tracker costs end to end. --hd generates a 1080p30 H.264 clip from the clip with ffmpeg (in the
// temp folder, never committed) and reports the tracking and motion jobs on it as multiples of real time.
if (args.Length > 0 && args[0] == "tracking")
{
    return VideoTracker.Benchmarks.TrackingBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "make-job")
{
    return await VideoTracker.Benchmarks.LongJobBenchmark.RunAsync(args[1..]);
}

var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

if (positional.Count == 0 || args.Contains("--help"))
{
    Console.WriteLine("usage: VideoTracker.Benchmarks <clip> [--model yolox_nano.onnx] [--threads N] [--frames N] [--model-frames N] [--dnn-frames 200] [--tool video_player_detection] [--repeat N] [--spin] [--pipeline] [--tracking] [--hd] [--hd-seconds 60] [--decoder ffmpeg|opencv] [--lanes N] [--compare-lanes]");
    return 2;
}

var clip = Path.GetFullPath(positional[0]);
var model = Option("--model") ?? Environment.GetEnvironmentVariable("Detection__ModelPath") ?? FindSharedModel();
if (model is null || !File.Exists(model) || !File.Exists(clip))
{
    Console.Error.WriteLine($"Clip or model not found (clip: {clip}, model: {model ?? "none; pass --model"}).");
    return 2;
}

var threads = Option("--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : DetectionOptions.DefaultIntraOpThreads;
var spin = args.Contains("--spin");
// --lanes sets Detection:InferenceLanes for the jobs and the model-only run alike (frames in the model at once);
// without it, the benchmark uses the lanes the app would choose for one worker.
var lanes = Option("--lanes") is { } l
    ? int.Parse(l, CultureInfo.InvariantCulture)
    : new DetectionOptions { IntraOpThreads = threads }.LanesFor(workers: 1);
int? limit = Option("--frames") is { } f ? int.Parse(f, CultureInfo.InvariantCulture) : null;
var tool = Option("--tool") ?? YoloTool.PlayerDetectionId;
// --decoder opencv measures the jobs with OpenCV's built-in FFmpeg, as before the ffmpeg binary decoded them.
var ffmpegDecode = (Option("--decoder") ?? "ffmpeg") != "opencv";
var job = new JobSettings(model, threads, spin, ffmpegDecode, lanes);
// --compare-lanes adds, in the same run, the jobs with one frame in the model at a time (as before lanes).
var oneLane = args.Contains("--compare-lanes") && lanes > 1 ? job with { Lanes = 1 } : null;
Console.WriteLine($"clip      {clip}");
Console.WriteLine($"model     {model}");
Console.WriteLine($"machine   {Environment.ProcessorCount} cores, ORT {OnnxRuntimeEnvironment.Instance.GetVersionString()}, intra-op threads {threads}, inference lanes {lanes}, spinning {(spin ? "on" : "off")}, jobs decode with {(ffmpegDecode ? "the ffmpeg binary" : "OpenCV")}");
Console.WriteLine($"load      {LoadAverage()} (1, 5, 15 min) at the start; the ratios below are measured side by side, so load weighs on both");
var tracking = args.Contains("--tracking");
Console.WriteLine();

// 1. Decode only.
var (decodeFrames, decodeSeconds) = DecodeOnly(clip, limit);
Report("decode only", decodeFrames, decodeSeconds);
var (prepFrames, prepSeconds) = DecodeAndPreprocess(clip, model, limit);
Report("decode + letterbox into the tensor", prepFrames, prepSeconds);

// 2 and 3, alternated --repeat times (medians reported) so that a busy machine weighs on both alike:
// end to end through the real job path, then model only (preprocessed frames through InferenceSession.Run,
// as the pipeline calls it). The peak working set is read right after the first job.
var repeat = Math.Max(1, int.Parse(Option("--repeat") ?? "1", CultureInfo.InvariantCulture));
var modelFrames = int.Parse(Option("--model-frames") ?? decodeFrames.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
var e2eRuns = new List<(int Frames, double Seconds, double CpuSeconds)>();
var ortRuns = new List<(int Frames, double Seconds, double CpuSeconds)>();
var ortOneLaneRuns = new List<(int Frames, double Seconds, double CpuSeconds)>();
var e2eOneLaneRuns = new List<(int Frames, double Seconds, double CpuSeconds)>();
var trackRuns = new List<(int Frames, double Seconds, double CpuSeconds)>();
var cmcRuns = new List<(int Frames, double Seconds, double CpuSeconds)>();
long peakAfterJob = 0;
for (var r = 0; r < repeat; r++)
{
    var e2eRun = await EndToEndAsync(clip, job, tool, limit);
    peakAfterJob = peakAfterJob == 0 ? Process.GetCurrentProcess().PeakWorkingSet64 : peakAfterJob;
    e2eRuns.Add(e2eRun);
    Report($"end to end ({tool}){(repeat > 1 ? $" #{r + 1}" : string.Empty)}", e2eRun.Frames, e2eRun.Seconds, e2eRun.CpuSeconds);
    var ortRun = ModelOnly(clip, model, threads, spin, modelFrames, lanes);
    ortRuns.Add(ortRun);
    Report($"model only (ONNX Runtime){(repeat > 1 ? $" #{r + 1}" : string.Empty)}", ortRun.Frames, ortRun.Seconds, ortRun.CpuSeconds);
    if (lanes > 1)
    {
        var ortOneLane = ModelOnly(clip, model, threads, spin, modelFrames);
        ortOneLaneRuns.Add(ortOneLane);
        Report($"  same, one lane{(repeat > 1 ? $" #{r + 1}" : string.Empty)}", ortOneLane.Frames, ortOneLane.Seconds, ortOneLane.CpuSeconds);
    }

    if (oneLane is not null)
    {
        var e2eOneLane = await EndToEndAsync(clip, oneLane, tool, limit);
        e2eOneLaneRuns.Add(e2eOneLane);
        Report($"end to end, one lane{(repeat > 1 ? $" #{r + 1}" : string.Empty)}", e2eOneLane.Frames, e2eOneLane.Seconds, e2eOneLane.CpuSeconds);
    }
    if (tracking)
    {
        var trackRun = await EndToEndAsync(clip, job, YoloTool.PlayerTrackingId, limit);
        trackRuns.Add(trackRun);
        Report($"end to end ({YoloTool.PlayerTrackingId}){(repeat > 1 ? $" #{r + 1}" : string.Empty)}", trackRun.Frames, trackRun.Seconds, trackRun.CpuSeconds);
        var cmcRun = await EndToEndAsync(clip, job, YoloTool.PlayerTrackingId, limit, new() { [TrackingInputs.CameraMotion] = "true" });
        cmcRuns.Add(cmcRun);
        Report($"  same, camera_motion=true{(repeat > 1 ? $" #{r + 1}" : string.Empty)}", cmcRun.Frames, cmcRun.Seconds, cmcRun.CpuSeconds);
    }
}

if (args.Contains("--pipeline"))
{
    var pipelineRun = await PipelineOnlyAsync(clip, model, threads, spin, limit, lanes);
    Report("pipeline only (no job, no database)", pipelineRun.Frames, pipelineRun.Seconds, pipelineRun.CpuSeconds);
}

var e2eFps = Median(e2eRuns.Select(x => x.Frames / x.Seconds));
var ortFps = Median(ortRuns.Select(x => x.Frames / x.Seconds));
var e2eCpuMs = Median(e2eRuns.Select(x => x.CpuSeconds * 1000 / x.Frames));
var ortCpuMs = Median(ortRuns.Select(x => x.CpuSeconds * 1000 / x.Frames));
if (repeat > 1)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"end to end, median",-40} {e2eFps,8:0.0} fps"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"model only (ONNX Runtime), median",-40} {ortFps,8:0.0} fps"));
}

// 4. The same model and tensors through OpenCV DNN.
var dnnFrames = int.Parse(Option("--dnn-frames") ?? "200", CultureInfo.InvariantCulture);
var cvFps = double.NaN;
if (dnnFrames > 0)
{
    var (cvFrames, cvSeconds) = OpenCvDnn(clip, model, dnnFrames);
    cvFps = cvFrames / cvSeconds;
    Report("model only (OpenCV DNN)", cvFrames, cvSeconds);
}

// 5. A 1080p30 H.264 clip made from this one: the tracking and motion jobs as multiples of real time.
var hdLines = new List<string>();
if (args.Contains("--hd"))
{
    var hdSeconds = int.Parse(Option("--hd-seconds") ?? "60", CultureInfo.InvariantCulture);
    var hdClip = MakeHdClip(clip, hdSeconds);
    if (hdClip is null)
    {
        hdLines.Add("1080p: ffmpeg is not installed; skipped");
    }
    else
    {
        Console.WriteLine($"1080p clip {hdClip} ({hdSeconds} s at 30 fps, 1920x1080 H.264)");
        // At frame_stride 1, 3x real time means 90 model runs a second: compare with model-only above. Stride 2
        // has the tracker predict the frame between two detections. The OpenCV line decodes with OpenCV's
        // built-in FFmpeg instead of the ffmpeg binary, and the one-lane line (--compare-lanes) runs one frame
        // through the model at a time, side by side. With --annotated, a tracking job also writes the annotated
        // MP4 (decoded by OpenCV, drawn on and encoded by libx264 at 1080p), with the default options and with
        // min_track_length 20; the peak working set of each of those jobs alone is printed too (it holds decoded
        // frames until the tracker's refinement releases them).
        var hdRuns = new List<(string Name, string Plugin, string Tool, int Stride, JobSettings Settings, string Label, bool Annotated)>
        {
            ("tracking", YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, 1, job, string.Empty, false),
            ("tracking", YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, 2, job, string.Empty, false),
            ("motion", VideoTracker.Core.OpenCvClassic.OpenCvClassicPlugin.PluginId, VideoTracker.Core.OpenCvClassic.MotionDetectionTool.ToolId, 1, job, string.Empty, false),
            ("tracking", YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, 1, job with { FfmpegDecode = false }, ", OpenCV decoding", false),
        };
        if (oneLane is not null)
        {
            hdRuns.Add(("tracking", YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, 1, oneLane, ", one lane", false));
        }

        if (args.Contains("--annotated"))
        {
            hdRuns.Add(("tracking", YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, 1, job, ", annotated MP4", true));
            hdRuns.Add(("tracking", YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, 1, job, ", annotated MP4, min_track_length 20", true));
        }

        foreach (var (name, plugin, hdTool, stride, settings, label, annotated) in hdRuns)
        {
            var options = new Dictionary<string, string?> { [VideoTracker.Core.Video.FrameSelection.StrideOption] = stride.ToString(CultureInfo.InvariantCulture) };
            if (annotated)
            {
                options[YoloToolOptions.AnnotatedOption] = "true";
            }

            if (label.Contains(TrackingInputs.MinTrackLength, StringComparison.Ordinal))
            {
                options[TrackingInputs.MinTrackLength] = "20";
            }

            var peakOfThisJob = annotated && ResetPeakWorkingSet();
            var run = await EndToEndAsync(hdClip, settings, hdTool, null, options, plugin);
            if (peakOfThisJob)
            {
                hdLines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"1080p30 tracking{label}: peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB during the job"));
            }

            Report($"1080p end to end ({hdTool}, stride {stride}{label})", run.Frames, run.Seconds, run.CpuSeconds);
            hdLines.Add(string.Create(CultureInfo.InvariantCulture,
                $"1080p30 {name,-9} stride {stride}  {hdSeconds / run.Seconds:0.00}x real time   (target >= 3x; {run.Frames / run.Seconds:0.0} decoded fps, {run.Frames / stride / run.Seconds:0.0} analysed fps; model only {ortFps:0.0} fps{label})"));
        }
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"end-to-end / model-only   {e2eFps / ortFps:0.000}   (target >= 0.95; both with {lanes} inference lane{(lanes == 1 ? string.Empty : "s")})"));
if (ortOneLaneRuns.Count > 0)
{
    var ortOneLaneFps = Median(ortOneLaneRuns.Select(x => x.Frames / x.Seconds));
    var jobOneLane = e2eOneLaneRuns.Count > 0
        ? string.Create(CultureInfo.InvariantCulture, $"; the job with one lane: {Median(e2eOneLaneRuns.Select(x => x.Frames / x.Seconds)) / ortOneLaneFps:0.000}")
        : string.Empty;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"end-to-end / model-only with one lane {e2eFps / ortOneLaneFps:0.000}   (the job as it runs, against the model one frame at a time{jobOneLane})"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU per frame, model-only / end-to-end {ortCpuMs / e2eCpuMs:0.000}   (target >= 0.85; load-independent view of the same ratio: {ortCpuMs:0.0} vs {e2eCpuMs:0.0} ms)"));
if (tracking)
{
    var trackFps = Median(trackRuns.Select(x => x.Frames / x.Seconds));
    var cmcFps = Median(cmcRuns.Select(x => x.Frames / x.Seconds));
    var trackCpuMs = Median(trackRuns.Select(x => x.CpuSeconds * 1000 / x.Frames));
    var cmcCpuMs = Median(cmcRuns.Select(x => x.CpuSeconds * 1000 / x.Frames));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tracking / detection end to end {trackFps / e2eFps:0.000}   (target >= 0.97: the tracker costs at most 3 %; CPU per frame {e2eCpuMs:0.0} vs {trackCpuMs:0.0} ms)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tracking with camera_motion / tracking {cmcFps / trackFps:0.000}   (CPU per frame {trackCpuMs:0.0} vs {cmcCpuMs:0.0} ms)"));
}

hdLines.ForEach(Console.WriteLine);
if (!double.IsNaN(cvFps))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime / OpenCV DNN {ortFps / cvFps:0.00}x"));
}

await StopHostsAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set          {peakAfterJob / 1048576.0:0} MB after the job (target < 600 MB), {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB at the end"));
Console.WriteLine($"load      {LoadAverage()} (1, 5, 15 min) at the end");
return 0;
