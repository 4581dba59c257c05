using System.Runtime.InteropServices;
using OpenCvSharp;
using VideoTracker.Core.Progress;

namespace VideoTracker.Core.Video;

/// <summary>Analyses one decoded frame. Called on the frame loop's thread, in frame order.</summary>
public interface IFrameAnalyser
{
    IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex);
}

/// <summary>
/// An analyser that works on frames at most <see cref="WorkWidth"/> pixels wide, so a decoder may hand it
/// frames already scaled to that (<see cref="FrameLoop.RunAsync"/> with ffmpeg).
/// </summary>
public interface IScaledFrameAnalyser : IFrameAnalyser
{
    int WorkWidth { get; }

    /// <summary>Analyses a frame scaled by <paramref name="scale"/> (frame pixels per source pixel) from a source of the given size; boxes in source pixels.</summary>
    IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex, double scale, int sourceWidth, int sourceHeight);
}

/// <summary>Which frames a tool analyses: every <see cref="Stride"/>th, up to <see cref="MaxFrames"/> decoded frames.</summary>
public sealed record FrameSelection(int Stride = 1, int? MaxFrames = null)
{
    public const string StrideOption = "frame_stride";
    public const string MaxFramesOption = "max_frames";

    /// <summary>The selection a job's options ask for; a tool that does not declare an option gets every frame, or no limit.</summary>
    public static FrameSelection From(ToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(
            options.Declares(StrideOption) ? options.WholeNumber(StrideOption) : 1,
            options.Declares(MaxFramesOption) ? options.OptionalWholeNumber(MaxFramesOption) : null);
    }

    public bool IsAnalysed(int frameIndex) => frameIndex % Stride == 0;
}

/// <summary>
/// The decode loop shared by the frame-by-frame tools: decodes every frame with OpenCV, reports
/// (current_frame, total_frames) after each one, analyses the selected frames, writes them to the sink
/// and honours cancellation between frames. The real decoded count wins over the header's. Each frame's
/// timestamp is its presentation time (<see cref="FrameClock"/>), so variable-frame-rate clips keep theirs.
/// </summary>
public static class FrameLoop
{
    /// <param name="ffmpeg">
    /// With an <see cref="IScaledFrameAnalyser"/>, the ffmpeg binary that decodes the clip, scaled to the
    /// analyser's work width while decoding, in a process of its own beside this loop. Null decodes with OpenCV.
    /// </param>
    public static async Task<ToolRunSummary> RunAsync(
        ToolRequest request,
        FrameSelection selection,
        IFrameAnalyser analyser,
        IProgress<FrameProgress> progress,
        CancellationToken cancellationToken,
        string? ffmpeg = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(progress);
        using var capture = OpenOrThrow(request.VideoPath);
        var info = VideoProbe.ReadInfo(capture);
        var clock = new FrameClock(TimestampFps(info));
        if (ffmpeg is not null && analyser is IScaledFrameAnalyser scaled && FfmpegFrameReader.LinesUpWith(capture, info))
        {
            // ffmpeg decodes, scaled to the analyser's work width, in a process beside this loop.
            var width = Math.Min(info.Width, scaled.WorkWidth);
            var height = Math.Max(1, (int)Math.Round(info.Height * width / (double)info.Width));
            var scale = width / (double)info.Width;
            var reader = FfmpegFrameReader.Start(ffmpeg, request.VideoPath, width, height);
            await using (reader.ConfigureAwait(false))
            {
                // ffmpeg's bytes land in pinned memory that the Mat the analyser sees is a view of: no copy per frame.
                var pixels = GC.AllocateArray<byte>(reader.FrameBytes, pinned: true);
                using var small = Mat.FromPixelData(height, width, MatType.CV_8UC3, Marshal.UnsafeAddrOfPinnedArrayElement(pixels, 0));
                var ms = double.NaN;
                return await LoopAsync(
                    request, selection, info, progress,
                    () => reader.Read(pixels, out ms, cancellationToken) ? clock.Next(ms) : null,
                    index => scaled.Analyse(small, index, scale, info.Width, info.Height),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        using var frame = new Mat();
        return await LoopAsync(
            request, selection, info, progress,
            () => capture.Read(frame) && !frame.Empty() ? clock.Next(capture) : null,
            index => analyser.Analyse(frame, index),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The loop of either decoder: <paramref name="next"/> decodes the next frame and gives its time (null at
    /// the end); <paramref name="analyse"/> analyses the frame just decoded.
    /// </summary>
    private static async Task<ToolRunSummary> LoopAsync(
        ToolRequest request,
        FrameSelection selection,
        VideoInfo info,
        IProgress<FrameProgress> progress,
        Func<double?> next,
        Func<int, IReadOnlyList<DetectedObject>> analyse,
        CancellationToken cancellationToken)
    {
        var total = ProgressTotal(info, selection);
        var decoded = 0;
        var analysed = 0;
        var reachedMax = false;
        progress.Report(new FrameProgress(0, total));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (selection.MaxFrames is { } limit && decoded >= limit)
            {
                reachedMax = true;
                break;
            }

            if (next() is not { } timestampMs)
            {
                break;
            }

            var index = decoded++;
            if (selection.IsAnalysed(index))
            {
                var detections = analyse(index);
                await request.Frames.WriteAsync(new FrameDetections(index, timestampMs, detections), cancellationToken).ConfigureAwait(false);
                analysed++;
            }

            progress.Report(new FrameProgress(decoded, Math.Max(total, decoded)));
        }

        ThrowIfNothingDecoded(decoded);
        return Summarise(info, decoded, analysed, reachedMax);
    }

    /// <summary>The frame count progress is shown against: the header's estimate, capped at max_frames.</summary>
    public static int ProgressTotal(VideoInfo info, FrameSelection selection) =>
        selection.MaxFrames is { } max ? Math.Min(info.EstimatedTotalFrames, max) : info.EstimatedTotalFrames;

    /// <summary>The frame rate assumed when a header names none (or a nonsense one).</summary>
    public const double FallbackFps = 25.0;

    /// <summary>What a job or a preview says when a clip opens but gives no frame.</summary>
    public const string NothingDecodedMessage = "The video opened, but none of its frames could be decoded. The file may be damaged or use an unsupported codec.";

    /// <summary>The frame rate timestamps are computed with; <see cref="FallbackFps"/> when the header names none.</summary>
    public static double TimestampFps(VideoInfo info) => UsableFps(info.Fps);

    /// <summary><paramref name="fps"/> when it is a positive finite number, else <see cref="FallbackFps"/>.</summary>
    public static double UsableFps(double fps) => double.IsFinite(fps) && fps > 0 ? fps : FallbackFps;

    public static void ThrowIfNothingDecoded(int decoded)
    {
        if (decoded == 0)
        {
            throw new VideoToolException(NothingDecodedMessage) { ClipUnreadable = true };
        }
    }

    /// <summary>The real decoded count wins over the header's; decoding ended early when it stopped short of the header without max_frames.</summary>
    public static ToolRunSummary Summarise(VideoInfo info, int decoded, int analysed, bool reachedMax)
    {
        var endedEarly = !reachedMax && info.HeaderFrameCount > 0 && decoded < info.HeaderFrameCount;
        return new ToolRunSummary(decoded, analysed, info.HeaderFrameCount > 0 ? info.HeaderFrameCount : null, endedEarly);
    }

    public static double TimestampMs(int frameIndex, double fps) => Math.Round(frameIndex * 1000.0 / fps, 3);

    public static VideoCapture OpenOrThrow(string path)
    {
        var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new VideoToolException("The video could not be opened. The file may be damaged or use an unsupported container.") { ClipUnreadable = true };
        }

        return capture;
    }
}
