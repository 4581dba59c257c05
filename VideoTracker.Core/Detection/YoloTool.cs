using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using VideoTracker.Core.OpenCvClassic;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Progress;
using VideoTracker.Core.Video;

namespace VideoTracker.Core.Detectors;

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
        List<ToolInput> inputs =
        [
            new("confidence", ToolInputType.Number, "Confidence", "Smallest detection score to report (objectness × class score).", 0.3, 0.01, 1),
            new("iou", ToolInputType.Number, "NMS IoU", "Boxes overlapping more than this are merged by non-maximum suppression.", 0.45, 0.01, 1),
            CommonInputs.FrameStride,
            CommonInputs.MaxFrames,
            new("annotated", ToolInputType.Boolean, "Annotated video", "Also write an H.264 MP4 with the boxes drawn on, served at /v1/jobs/{job_id}/annotated.", false),
        ];
        if (kind == YoloToolKind.PlayerTracking)
        {
            inputs.Add(new("track_buffer", ToolInputType.WholeNumber, "Track buffer", "Analysed frames a lost track is kept before its id expires.", 30, 1, 10_000));
        }

        Manifest = kind switch
        {
            YoloToolKind.PlayerDetection => new ToolManifest(PlayerDetectionId, "Player detection", "People (COCO class 0) in every analysed frame.", [ToolManifest.VideoInput], inputs),
            YoloToolKind.BallDetection => new ToolManifest(BallDetectionId, "Ball detection", "Sports balls (COCO class 32) in every analysed frame.", [ToolManifest.VideoInput], inputs),
            _ => new ToolManifest(PlayerTrackingId, "Player tracking", "People (COCO class 0) with a stable track_id from a ByteTrack-style tracker.", [ToolManifest.VideoInput], inputs),
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

        var options = request.Options;
        var confidence = (float)options.GetDouble("confidence", 0.3);
        var iou = (float)options.GetDouble("iou", 0.45);
        var className = CocoClasses.NameOf(ClassId, session.Spec.ClassCount);
        DetectionSettings settings;
        DetectionPostProcessor post;
        if (Kind == YoloToolKind.PlayerTracking)
        {
            var tracker = new ByteTracker(TrackerOptions(confidence, options.GetInt("track_buffer", 30)));
            settings = new DetectionSettings(tracker.Options.LowThreshold, iou, ClassId);
            post = (kept, _) => [.. tracker.Update(kept).Select(t => ToDetection(t.Box, className, t.TrackId))];
        }
        else
        {
            settings = new DetectionSettings(confidence, iou, ClassId);
            post = (kept, _) => [.. kept.Select(c => ToDetection(c, className, null))];
        }

        AnnotatedVideoFactory? annotate = options.GetBool("annotated")
            ? fps => new AnnotatedVideo(_ffmpeg, request.OutputDirectory, fps)
            : null;
        using var pipeline = new DetectionPipeline(session);
        var summary = await pipeline.RunAsync(request, FrameSelection.From(options), settings, post, annotate, progress, cancellationToken).ConfigureAwait(false);
        if (summary.Extra?.TryGetValue(AnnotatedVideo.ErrorKey, out var why) == true)
        {
            Log.AnnotationFailed(_logger, why?.ToString() ?? "unknown");
        }

        return summary;
    }

    /// <summary>
    /// The tool's confidence is the tracker's high threshold; boxes down to 0.1 (or the confidence, if
    /// lower) may continue a track, and new tracks need a little more than the confidence.
    /// </summary>
    public static ByteTrackerOptions TrackerOptions(float confidence, int trackBuffer) => new()
    {
        HighThreshold = confidence,
        LowThreshold = Math.Min(0.1f, confidence),
        NewTrackThreshold = Math.Min(1f, confidence + 0.1f),
        TrackBuffer = trackBuffer,
    };

    private static Detection ToDetection(Candidate c, string className, int? trackId) =>
        new(c.X1, c.Y1, c.X2, c.Y2, c.Score, c.ClassId, className, trackId);
}
