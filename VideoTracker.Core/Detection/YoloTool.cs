using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using VideoTracker.Core.Counting;
using VideoTracker.Core.OpenCvClassic;
using VideoTracker.Core.Progress;
using VideoTracker.Core.Tracking;

namespace VideoTracker.Core.Detection;

public enum YoloToolKind
{
    PlayerDetection,
    BallDetection,
    PlayerTracking,
}

/// <summary>One of the yolo-tracker tools: a COCO class found in every analysed frame, tracked or not.</summary>
public sealed class YoloTool : IVideoTool
{
    public const string PlayerDetectionId = "video_player_detection";
    public const string BallDetectionId = "video_ball_detection";
    public const string PlayerTrackingId = "video_player_tracking";
    public const string ConfidenceOption = "confidence";

    private readonly DetectionModel _model;
    private readonly DetectorSessions _sessions;
    private readonly FfmpegLocator _ffmpeg;
    private readonly ILogger _logger;

    public YoloTool(YoloToolKind kind, DetectionModel model, DetectorSessions sessions, FfmpegLocator ffmpeg, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        Kind = kind;
        _model = model;
        _sessions = sessions;
        _ffmpeg = ffmpeg;
        ClassId = kind == YoloToolKind.BallDetection ? CocoClasses.SportsBall : CocoClasses.Person;
        var tracking = kind == YoloToolKind.PlayerTracking;
        List<ToolInput> inputs =
        [
            tracking
                ? new(ConfidenceOption, ToolInputType.Number, "Confidence (track threshold)", "ByteTrack's track_thresh: detections above it are matched first and may start tracks (above it + 0.1); those between 0.1 and it only continue tracks.", 0.5, 0.01, 1)
                : new(ConfidenceOption, ToolInputType.Number, "Confidence", "Smallest detection score to report (objectness × class score).", 0.3, 0.01, 1),
            new(YoloToolOptions.IouOption, ToolInputType.Number, "NMS IoU", "Boxes overlapping more than this are merged by non-maximum suppression.", 0.45, 0.01, 1),
            CommonInputs.FrameStride,
            CommonInputs.MaxFrames,
            new(YoloToolOptions.AnnotatedOption, ToolInputType.Boolean, "Annotated video", "Also write an H.264 MP4 with the boxes drawn on, served at /v1/jobs/{job_id}/annotated.", false),
        ];
        if (tracking)
        {
            inputs.AddRange(TrackingInputs.All);
            inputs.AddRange(CountingInputs.All);
        }

        Manifest = kind switch
        {
            YoloToolKind.PlayerDetection => new ToolManifest(PlayerDetectionId, "Player detection", "People (COCO class 0) in every analysed frame.", [ToolManifest.VideoInput], inputs),
            YoloToolKind.BallDetection => new ToolManifest(BallDetectionId, "Ball detection", "Sports balls (COCO class 32) in every analysed frame.", [ToolManifest.VideoInput], inputs),
            _ => new ToolManifest(PlayerTrackingId, "Player tracking", "People (COCO class 0) with a stable track_id from ByteTrack (Kalman filter, optimal assignment in three stages).", [ToolManifest.VideoInput], inputs),
        };
    }

    public YoloToolKind Kind { get; }

    public int ClassId { get; }

    public ToolManifest Manifest { get; }

    public ToolAvailability GetAvailability() => _model.Availability;

    public async Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var modelPath = _model.ModelPath ?? throw new VideoToolException(_model.Availability.Reason ?? "The detection model is not available.");
        DetectorSession session;
        try
        {
            session = _sessions.Get(modelPath, request.Device);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or NotSupportedException or IOException)
        {
            throw new VideoToolException($"The detection model could not be loaded on {request.Device}: {ex.Message}", ex);
        }

        if (session.Spec.ClassCount <= ClassId)
        {
            throw new VideoToolException($"The model has {session.Spec.ClassCount} classes; this tool needs COCO class {ClassId}.");
        }

        var options = YoloToolOptions.Read(request.Options, tracking: Kind == YoloToolKind.PlayerTracking);
        var className = CocoClasses.NameOf(ClassId, session.Spec.ClassCount);
        DetectionSettings settings;
        DetectionPostProcessor post;
        using var tracks = options.Tracking is not null ? new TrackTableBuilder() : null;
        using var cameraMotion = options.Tracking?.CameraMotionEstimator();

        // The clip's header, read once for what needs it: the frame rate (tracker, annotated video).
        var clip = options.Annotated || options.Tracking is not null ? VideoProbe.TryProbe(request.VideoPath, out _) : null;
        var clipFps = clip is not null ? FrameLoop.TimestampFps(clip) : FrameLoop.FallbackFps;

        // The annotated video draws what the results hold: each frame once it is final, after the tracker's refinement,
        // and once the job's counter has taken it (After writes to request.Frames, which feeds the counter, then releases).
        await using var video = options.Annotated
            ? new AnnotatedVideo(_ffmpeg, request.OutputDirectory, clipFps, request.Counting is { } counter ? new CountingOverlay(counter) : null)
            : null;
        if (video is not null)
        {
            request = request with { Frames = video.After(request.Frames) };
        }

        RefiningSink? refined = null;
        if (options.Tracking is { } tracking && tracks is not null)
        {
            var trackerOptions = tracking.Tracker(options.Confidence, clipFps / options.Frames.Stride);
            var refiner = TrackRefiner.For(trackerOptions, tracking.Interpolate, tracking.MinTrackLength);
            var trackingSession = new TrackingSession(trackerOptions, refiner, className, tracks, cameraMotion);
            settings = new DetectionSettings((float)trackerOptions.LowThreshold, (float)options.Iou, ClassId);
            post = trackingSession.Process;
            refined = trackingSession.Wrap(request.Frames);
            request = request with { Frames = refined };
        }
        else
        {
            settings = new DetectionSettings((float)options.Confidence, (float)options.Iou, ClassId);
            post = (kept, _, _) => [.. kept.Select(c => ToDetection(c, className, null))];
        }

        // ffmpeg decodes when no annotated video is drawn: that one needs the full frames OpenCV decodes.
        var ffmpegDecoder = options.Annotated ? null : _ffmpeg.Decoder;
        using var pipeline = new DetectionPipeline(session, ffmpegDecoder, _sessions.InferenceLanes);
        var summary = await pipeline.RunAsync(request, options.Frames, settings, post, video, progress, cancellationToken).ConfigureAwait(false);
        if (refined is not null && tracks is not null)
        {
            await refined.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await tracks.WriteAsync(request.OutputDirectory, cancellationToken).ConfigureAwait(false);
        }

        if (video is not null)
        {
            var file = await video.CompleteAsync(cancellationToken).ConfigureAwait(false);
            summary = summary with
            {
                AnnotatedVideo = file,
                AnnotatedVideoError = file is null ? "The annotated video was not produced: " + video.Error : null,
                AnnotatedVideoCounts = file is null ? null : video.Counts,
            };
            if (file is null && video.Error is { } why)
            {
                Log.AnnotationFailed(_logger, why);   // the message says "was not produced"; the reason follows once
            }
        }

        return summary;
    }

    internal static DetectedObject ToDetection(Candidate c, string className, int? trackId) =>
        new(c.X1, c.Y1, c.X2, c.Y2, c.Score, c.ClassId, className, trackId);
}

/// <summary>A yolo-tracker tool's options, typed; read once at the start of a run (the defaults live in the manifest only).</summary>
/// <param name="Tracking">The tracking options, for the tracking tool only.</param>
public sealed record YoloToolOptions(double Confidence, double Iou, bool Annotated, FrameSelection Frames, TrackingSettings? Tracking)
{
    public const string IouOption = "iou";
    public const string AnnotatedOption = "annotated";

    public static YoloToolOptions Read(ToolOptions options, bool tracking)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(
            options.Number(YoloTool.ConfidenceOption),
            options.Number(IouOption),
            options.Flag(AnnotatedOption),
            FrameSelection.From(options),
            tracking ? TrackingInputs.Read(options) : null);
    }
}
