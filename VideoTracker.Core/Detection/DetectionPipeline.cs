using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Progress;
using VideoTracker.Core.Video;

namespace VideoTracker.Core.Detection;

/// <summary>
/// Turns one analysed frame's candidates (after NMS) into the detections written for it. The decoded
/// frame is lent for the call only (to crop from, say); it is reused afterwards. When ffmpeg decoded the run
/// (see <see cref="DetectionPipeline(DetectorSession, string?)"/>), it is the frame scaled to the model's input.
/// </summary>
public delegate IReadOnlyList<DetectedObject> DetectionPostProcessor(List<Candidate> kept, int frameIndex, DecodedFrame frame);

/// <summary>Thresholds of one detection run.</summary>
/// <param name="ScoreThreshold">Boxes below this score are dropped before NMS.</param>
/// <param name="IouThreshold">NMS overlap threshold.</param>
/// <param name="OnlyClass">Score only this class (and suppress across classes), or every class when null.</param>
public sealed record DetectionSettings(float ScoreThreshold, float IouThreshold, int? OnlyClass);

/// <summary>
/// The frame loop of the detection tools, pipelined: one thread decodes and letterboxes frames into a
/// small pool of reused tensors while the caller's thread runs inference, NMS, tracking and writing, so
/// decoding overlaps with the model. Progress, cancellation and the summary follow <see cref="FrameLoop"/>:
/// progress counts decoded frames, the real decoded count wins over the header, and a clip of which no
/// frame decodes fails with a readable <see cref="VideoToolException"/>.
/// </summary>
public sealed class DetectionPipeline : IDisposable
{
    private const int SlotCount = 3;
    private readonly DetectorSession _detector;
    private readonly Slot[] _slots;
    private readonly float[] _output;
    private readonly OrtValue? _outputValue;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _outputValues;
    private readonly List<Candidate> _candidates = [];
    private readonly List<Candidate> _kept = [];
    private readonly string? _ffmpegDecoder;

    /// <param name="detector">The model's session.</param>
    /// <param name="ffmpegDecoder">
    /// The ffmpeg binary to decode with when a run needs only the model's input (no annotated video): frames
    /// then arrive scaled, and the post-processor is lent the scaled frame. Null decodes with OpenCV.
    /// </param>
    public DetectionPipeline(DetectorSession detector, string? ffmpegDecoder = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        _detector = detector;
        _ffmpegDecoder = ffmpegDecoder;
        var spec = detector.Spec;
        _inputNames = [spec.InputName];
        _outputNames = [spec.OutputName];
        _slots = new Slot[SlotCount];
        for (var i = 0; i < SlotCount; i++)
        {
            _slots[i] = new Slot(spec);
        }

        // A fixed output shape lets ONNX Runtime write into one reused buffer.
        _output = spec.FixedOutputShape ? new float[spec.OutputLength] : [];
        _outputValue = spec.FixedOutputShape ? OrtValue.CreateTensorValueFromMemory(_output, spec.OutputShape) : null;
        _outputValues = _outputValue is null ? [] : [_outputValue];
    }

    public ModelSpec Spec => _detector.Spec;

    public async Task<ToolRunSummary> RunAsync(
        ToolRequest request,
        FrameSelection selection,
        DetectionSettings settings,
        DetectionPostProcessor postProcess,
        AnnotatedVideoFactory? annotate,
        IProgress<FrameProgress> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(postProcess);
        ArgumentNullException.ThrowIfNull(progress);

        using var capture = OpenCapture(request.VideoPath);
        var info = VideoProbe.ReadInfo(capture);
        var total = FrameLoop.ProgressTotal(info, selection);
        var fps = FrameLoop.TimestampFps(info);
        var video = annotate?.Invoke(fps);
        try
        {
            return await RunCoreAsync(capture, info, total, fps, request, selection, settings, postProcess, video, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (video is not null)
            {
                await video.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<ToolRunSummary> RunCoreAsync(
        VideoCapture capture,
        VideoInfo info,
        int total,
        double fps,
        ToolRequest request,
        FrameSelection selection,
        DetectionSettings settings,
        DetectionPostProcessor postProcess,
        AnnotatedVideo? video,
        IProgress<FrameProgress> progress,
        CancellationToken cancellationToken)
    {
        var free = Channel.CreateBounded<Slot>(new BoundedChannelOptions(SlotCount) { SingleReader = true, SingleWriter = true });
        var ready = Channel.CreateBounded<Slot>(new BoundedChannelOptions(SlotCount) { SingleReader = true, SingleWriter = true });
        foreach (var slot in _slots)
        {
            free.Writer.TryWrite(slot);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = new FrameClock(fps);
        var decoder = _ffmpegDecoder is { } ffmpeg && video is null && FfmpegFrameReader.LinesUpWith(capture, info)
            ? Task.Run(() => DecodeWithFfmpegAsync(ffmpeg, request.VideoPath, Spec.LetterboxFor(info.Width, info.Height), clock, selection, free.Reader, ready.Writer, stop.Token), CancellationToken.None)
            : Task.Run(() => DecodeWithOpenCvAsync(capture, clock, selection, keepPixels: video is not null, free.Reader, ready.Writer, stop.Token), CancellationToken.None);

        var analysed = 0;
        IReadOnlyList<DetectedObject> last = [];
        progress.Report(new FrameProgress(0, total));
        try
        {
            await foreach (var slot in ready.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (slot.Analysed)
                    {
                        last = Analyse(slot, settings, postProcess);
                        await request.Frames.WriteAsync(new FrameDetections(slot.Index, slot.TimestampMs, last), cancellationToken).ConfigureAwait(false);
                        analysed++;
                    }

                    if (video is not null)
                    {
                        await video.WriteAsync(slot.Frame, last, slot.Analysed ? (slot.Index, slot.TimestampMs) : null, cancellationToken).ConfigureAwait(false);
                    }

                    var decodedSoFar = slot.Index + 1;
                    progress.Report(new FrameProgress(decodedSoFar, Math.Max(total, decodedSoFar)));
                }
                finally
                {
                    free.Writer.TryWrite(slot);
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(decoder).ConfigureAwait(false);
            throw;
        }

        var (decoded, reachedMax) = await decoder.ConfigureAwait(false);
        FrameLoop.ThrowIfNothingDecoded(decoded);

        string? annotatedFile = null;
        string? annotatedError = null;
        if (video is not null)
        {
            annotatedFile = await video.CompleteAsync(cancellationToken).ConfigureAwait(false);
            if (annotatedFile is null)
            {
                annotatedError = "The annotated video was not produced: " + video.Error;
            }
        }

        return FrameLoop.Summarise(info, decoded, analysed, reachedMax, annotatedFile, annotatedError);
    }

    /// <summary>
    /// Opens a clip for the decoding thread with FFmpeg's own threading off: inference already keeps the
    /// cores busy, and a second pool of decoder threads only fights it (measured with the benchmark on
    /// two cores). Falls back to OpenCV's default when the FFmpeg backend cannot open the file.
    /// </summary>
    public static VideoCapture OpenCapture(string path)
    {
        const int CapPropNThreads = 70; // cv::CAP_PROP_N_THREADS (OpenCV 4.7+)
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG, [CapPropNThreads, 1]);
        if (capture.IsOpened())
        {
            return capture;
        }

        capture.Dispose();
        return FrameLoop.OpenOrThrow(path);
    }

    /// <summary>Runs the model on a prepared slot, decodes and suppresses its boxes.</summary>
    internal IReadOnlyList<DetectedObject> Analyse(Slot slot, DetectionSettings settings, DetectionPostProcessor postProcess)
    {
        _candidates.Clear();
        if (_outputValue is not null)
        {
            _detector.Session.Run(_runOptions, _inputNames, slot.InputValues, _outputNames, _outputValues);
            YoloDecoder.Decode(_output, Spec, slot.Box, settings.ScoreThreshold, settings.OnlyClass, _candidates);
        }
        else
        {
            using var outputs = _detector.Session.Run(_runOptions, _inputNames, slot.InputValues, _outputNames);
            YoloDecoder.Decode(outputs[0].GetTensorDataAsSpan<float>(), Spec, slot.Box, settings.ScoreThreshold, settings.OnlyClass, _candidates);
        }

        Nms.Apply(_candidates, settings.IouThreshold, classAgnostic: settings.OnlyClass is not null, _kept);
        return postProcess(_kept, slot.Index, new DecodedFrame(slot.Frame, slot.Scale));
    }

    /// <summary>
    /// The decoding thread: fills free slots in frame order, each with its presentation time, until the clip,
    /// max_frames or cancellation ends it. <paramref name="next"/> decodes one frame into a slot whose
    /// <see cref="Slot.Analysed"/> is set (and letterboxes it when analysed); false at the end of the clip.
    /// </summary>
    private static async Task<(int Decoded, bool ReachedMax)> DecodeAsync(
        FrameSelection selection, Func<Slot, bool> next, ChannelReader<Slot> free, ChannelWriter<Slot> ready, CancellationToken cancellationToken)
    {
        var decoded = 0;
        var reachedMax = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (selection.MaxFrames is { } limit && decoded >= limit)
                {
                    reachedMax = true;
                    break;
                }

                var slot = await free.ReadAsync(cancellationToken).ConfigureAwait(false);
                slot.Analysed = selection.IsAnalysed(decoded);
                if (!next(slot))
                {
                    break;
                }

                slot.Index = decoded++;
                await ready.WriteAsync(slot, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The consumer stopped; it reports why.
        }
        finally
        {
            ready.TryComplete();
        }

        return (decoded, reachedMax);
    }

    /// <summary>OpenCV decodes: whole frames (only grabbed when neither analysed nor drawn), letterboxed here.</summary>
    private async Task<(int Decoded, bool ReachedMax)> DecodeWithOpenCvAsync(
        VideoCapture capture, FrameClock clock, FrameSelection selection, bool keepPixels, ChannelReader<Slot> free, ChannelWriter<Slot> ready, CancellationToken cancellationToken)
    {
        using var preprocessor = new FramePreprocessor(Spec);
        return await DecodeAsync(selection, slot =>
        {
            var ok = slot.Analysed || keepPixels
                ? capture.Read(slot.Frame) && !slot.Frame.Empty()
                : capture.Grab();
            if (ok)
            {
                slot.TimestampMs = clock.Next(capture);
                if (slot.Analysed)
                {
                    slot.Box = preprocessor.Fill(slot.Frame, slot.Input);
                }
            }

            return ok;
        }, free, ready, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// ffmpeg decodes: every frame arrives already scaled to the letterbox's size, with its presentation time,
    /// and only analysed frames are converted into their tensor and lent as the scaled frame. A clip ffmpeg
    /// stops part-way through fails the run with ffmpeg's words (<see cref="FfmpegFrameReader.Read"/>).
    /// </summary>
    private async Task<(int Decoded, bool ReachedMax)> DecodeWithFfmpegAsync(
        string ffmpeg, string videoPath, Letterbox box, FrameClock clock, FrameSelection selection, ChannelReader<Slot> free, ChannelWriter<Slot> ready, CancellationToken cancellationToken)
    {
        using var preprocessor = new FramePreprocessor(Spec);
        var reader = FfmpegFrameReader.Start(ffmpeg, videoPath, box.ResizedWidth, box.ResizedHeight);
        await using (reader.ConfigureAwait(false))
        {
            var pixels = new byte[reader.FrameBytes];
            return await DecodeAsync(selection, slot =>
            {
                if (!reader.Read(pixels, out var ms, cancellationToken))
                {
                    return false;
                }

                slot.TimestampMs = clock.Next(ms);
                if (slot.Analysed)
                {
                    preprocessor.FillResized(pixels, box, slot.Input);
                    slot.Box = box;
                    slot.Frame.Create(box.ResizedHeight, box.ResizedWidth, MatType.CV_8UC3);
                    Marshal.Copy(pixels, 0, slot.Frame.Data, reader.FrameBytes);
                    slot.Scale = box.Scale;
                }

                return true;
            }, free, ready, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.Dispose();
        }

        _outputValue?.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>A reused frame, its input tensor and where it came from.</summary>
    internal sealed class Slot : IDisposable
    {
        public Slot(ModelSpec spec)
        {
            Input = new float[3 * spec.InputWidth * spec.InputHeight];
            InputValue = OrtValue.CreateTensorValueFromMemory(Input, spec.InputShape);
            InputValues = [InputValue];
        }

        public Mat Frame { get; } = new();

        public float[] Input { get; }

        public OrtValue InputValue { get; }

        public OrtValue[] InputValues { get; }

        public Letterbox Box { get; set; }

        public int Index { get; set; }

        /// <summary>The frame's presentation time (<see cref="FrameClock"/>).</summary>
        public double TimestampMs { get; set; }

        public bool Analysed { get; set; }

        /// <summary>Frame pixels per source pixel: 1 when OpenCV decoded the whole frame.</summary>
        public double Scale { get; set; } = 1;

        public void Dispose()
        {
            InputValue.Dispose();
            Frame.Dispose();
        }
    }
}

/// <summary>Creates the annotated video of a run once the clip's frame rate is known.</summary>
public delegate AnnotatedVideo AnnotatedVideoFactory(double fps);
