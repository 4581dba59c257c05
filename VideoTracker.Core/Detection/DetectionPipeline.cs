using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using VideoTracker.Core.Progress;

namespace VideoTracker.Core.Detection;

/// <summary>
/// Turns one analysed frame's candidates (after NMS) into the detections written for it. The decoded
/// frame is lent for the call only (to crop from, say); it is reused afterwards. When ffmpeg decoded the run
/// (see <see cref="DetectionPipeline(DetectorSession, string?, int)"/>), it is the frame scaled to the model's input.
/// </summary>
public delegate IReadOnlyList<DetectedObject> DetectionPostProcessor(List<Candidate> kept, int frameIndex, DecodedFrame frame);

/// <summary>Thresholds of one detection run.</summary>
/// <param name="ScoreThreshold">Boxes below this score are dropped before NMS.</param>
/// <param name="IouThreshold">NMS overlap threshold.</param>
/// <param name="OnlyClass">Score only this class (and suppress across classes), or every class when null.</param>
public sealed record DetectionSettings(float ScoreThreshold, float IouThreshold, int? OnlyClass);

/// <summary>
/// The frame loop of the detection tools, pipelined in three stages over a small pool of reused slots:
/// one thread decodes and letterboxes frames into the slots' tensors; one or more inference lanes run the
/// model, box decoding and NMS on them, several frames at once; and the caller's thread takes the results in
/// frame order for tracking, writing and progress. Progress, cancellation and the summary follow
/// <see cref="FrameLoop"/>: progress counts decoded frames, the real decoded count wins over the header, and a
/// clip of which no frame decodes fails with a readable <see cref="VideoToolException"/>.
/// </summary>
public sealed partial class DetectionPipeline : IDisposable
{
    private readonly DetectorSession _detector;
    private readonly Slot[] _slots;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly string? _ffmpegDecoder;
    private readonly int _lanes;

    /// <param name="detector">The model's session.</param>
    /// <param name="ffmpegDecoder">
    /// The ffmpeg binary to decode with when a run needs only the model's input (no annotated video): frames
    /// then arrive scaled, and the post-processor is lent the scaled frame. Null decodes with OpenCV.
    /// </param>
    /// <param name="lanes">How many analysed frames are in the model at once (<see cref="DetectionOptions.InferenceLanes"/>).</param>
    public DetectionPipeline(DetectorSession detector, string? ffmpegDecoder = null, int lanes = 1)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        _detector = detector;
        _ffmpegDecoder = ffmpegDecoder;
        _lanes = lanes;
        var spec = detector.Spec;
        _inputNames = [spec.InputName];
        _outputNames = [spec.OutputName];

        // A slot per lane in the model, one being decoded, one with the consumer and one waiting between them.
        _slots = new Slot[lanes + 3];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot(spec);
        }
    }

    public ModelSpec Spec => _detector.Spec;

    /// <param name="video">
    /// The run's annotated video, or null: every decoded frame (whole, so decoded by OpenCV) is handed to it after its
    /// detections are written to <see cref="ToolRequest.Frames"/>, and before its slot is reused; it draws a frame once the
    /// caller has released that frame's final detections to it, and the caller completes it once the sink has written its last frame.
    /// </param>
    public async Task<ToolRunSummary> RunAsync(
        ToolRequest request,
        FrameSelection selection,
        DetectionSettings settings,
        DetectionPostProcessor postProcess,
        AnnotatedVideo? video,
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

        // Every slot travels free -> (decoder) -> toInfer, when analysed -> (a lane) and inOrder -> (consumer) -> free.
        var free = Channel.CreateBounded<Slot>(new BoundedChannelOptions(_slots.Length) { SingleReader = true, SingleWriter = true });
        var toInfer = Channel.CreateBounded<Slot>(new BoundedChannelOptions(_slots.Length) { SingleReader = _lanes == 1, SingleWriter = true });
        var inOrder = Channel.CreateBounded<Slot>(new BoundedChannelOptions(_slots.Length) { SingleReader = true, SingleWriter = true });
        foreach (var slot in _slots)
        {
            free.Writer.TryWrite(slot);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = new FrameClock(fps);
        var stages = new Stages(free.Reader, toInfer.Writer, inOrder.Writer);
        Func<Task<(int Decoded, bool ReachedMax)>> decode = _ffmpegDecoder is { } ffmpeg && video is null && FfmpegFrameReader.LinesUpWith(capture, info)
            ? () => DecodeWithFfmpegAsync(ffmpeg, request.VideoPath, Spec.LetterboxFor(info.Width, info.Height), clock, selection, stages, stop.Token)
            : () => DecodeWithOpenCvAsync(capture, clock, selection, keepPixels: video is not null, stages, stop.Token);
        var decoder = Task.Run(() => DecodeThenCompleteAsync(decode, stages), CancellationToken.None);
        var lanes = Enumerable.Range(0, _lanes).Select(_ => Task.Run(() => InferAsync(toInfer.Reader, settings, stop.Token), CancellationToken.None)).ToArray();

        var analysed = 0;
        progress.Report(new FrameProgress(0, total));
        try
        {
            await foreach (var slot in inOrder.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (slot.Analysed)
                {
                    await slot.Inferred.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var detections = postProcess(slot.Kept, slot.Index, new DecodedFrame(slot.Frame, slot.Scale, slot.Box.SourceWidth, slot.Box.SourceHeight));
                    await request.Frames.WriteAsync(new FrameDetections(slot.Index, slot.TimestampMs, detections), cancellationToken).ConfigureAwait(false);
                    analysed++;
                }

                if (video is not null)
                {
                    await video.HoldAsync(slot.Frame, slot.Index, slot.TimestampMs, slot.Analysed, cancellationToken).ConfigureAwait(false);
                }

                var decodedSoFar = slot.Index + 1;
                progress.Report(new FrameProgress(decodedSoFar, Math.Max(total, decodedSoFar)));
                free.Writer.TryWrite(slot);
            }
        }
        catch
        {
            // The lanes may still be inside the model with a slot: wait for them before the slots can go.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(Task.WhenAll([decoder, .. lanes])).ConfigureAwait(false);
            throw;
        }

        await Task.WhenAll(lanes).ConfigureAwait(false);
        var (decoded, reachedMax) = await decoder.ConfigureAwait(false);
        FrameLoop.ThrowIfNothingDecoded(decoded);
        return FrameLoop.Summarise(info, decoded, analysed, reachedMax);
    }

    /// <summary>
    /// One inference lane: runs the model on each prepared slot it takes, then decodes and suppresses the boxes
    /// into the slot's <see cref="Slot.Kept"/>, and marks the slot inferred (or failed, with the model's error).
    /// </summary>
    private async Task InferAsync(ChannelReader<Slot> toInfer, DetectionSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var slot in toInfer.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    Infer(slot, settings);
                    slot.Inferred.SetResult();
                }
                catch (Exception e)
                {
                    slot.Inferred.SetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The consumer stopped; it reports why.
        }
    }

    private void Infer(Slot slot, DetectionSettings settings)
    {
        slot.Candidates.Clear();
        if (slot.OutputValues is { } outputValues)
        {
            _detector.Session.Run(_runOptions, _inputNames, slot.InputValues, _outputNames, outputValues);
            YoloDecoder.Decode(slot.Output, Spec, slot.Box, settings.ScoreThreshold, settings.OnlyClass, slot.Candidates);
        }
        else
        {
            using var outputs = _detector.Session.Run(_runOptions, _inputNames, slot.InputValues, _outputNames);
            YoloDecoder.Decode(outputs[0].GetTensorDataAsSpan<float>(), Spec, slot.Box, settings.ScoreThreshold, settings.OnlyClass, slot.Candidates);
        }

        Nms.Apply(slot.Candidates, settings.IouThreshold, classAgnostic: settings.OnlyClass is not null, slot.Kept);
    }

    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.Dispose();
        }

        _runOptions.Dispose();
    }
}
