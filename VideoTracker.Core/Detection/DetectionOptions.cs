using System.ComponentModel.DataAnnotations;

namespace VideoTracker.Core.Detection;

/// <summary>Where the YOLO model comes from and how ONNX Runtime runs it.</summary>
public sealed class DetectionOptions
{
    public const string Section = "Detection";

    /// <summary>The official YOLOX release asset (Apache-2.0), next to <c>yolox_nano.pth</c>.</summary>
    public const string DefaultModelUrl = "https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx";

    /// <summary>The file name the model has under <c>{DataDirectory}/models</c>.</summary>
    public const string DefaultModelFileName = "yolox_nano.onnx";

    /// <summary>An ONNX model file. When empty, <c>{DataDirectory}/models/yolox_nano.onnx</c> is used, downloaded once if missing.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Where the model is downloaded from when no file is found. Empty disables the download.</summary>
    public string? ModelUrl { get; init; } = DefaultModelUrl;

    /// <summary>When set, a downloaded model must have this sha256 (64 hex digits) or it is discarded.</summary>
    [RegularExpression("^([0-9a-fA-F]{64})?$", ErrorMessage = "Detection:ModelSha256 must be 64 hexadecimal digits.")]
    public string? ModelSha256 { get; init; }

    /// <summary>
    /// The device (<c>cpu</c> or <c>cuda</c>) the model is loaded on at start-up, so the first job does not
    /// wait for it. Each job still runs on the device it names.
    /// </summary>
    [Required, RegularExpression("^(cpu|cuda)$", ErrorMessage = "Detection:ExecutionProvider must be cpu or cuda.")]
    public string ExecutionProvider { get; init; } = "cpu";

    /// <summary>
    /// ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime decide. By default half the cores, 1 to 4:
    /// the rest decode the next frames and serve the app. On 2 cores, 1 thread ran a job at 95.6 fps against
    /// 61.5 with 2 (vtest.avi, YOLOX-Nano): a small model gains less from a second thread than it loses when
    /// that thread fights the decoder for the other core.
    /// </summary>
    [Range(0, 256)] public int IntraOpThreads { get; init; } = DefaultIntraOpThreads;

    public static int DefaultIntraOpThreads => Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    /// <summary>
    /// How many analysed frames a detection run has in the model at once: each lane calls the one shared
    /// session on its own frame (ONNX Runtime's <c>Run</c> is thread-safe), and the results are taken in frame
    /// order, so tracking sees the same sequence. A small model on one intra-op thread leaves the other cores
    /// idle between decodes; a second lane fills them. 0 (the default) lets the app choose with
    /// <see cref="AutoLanes"/>; 1 runs one frame at a time.
    /// </summary>
    [Range(0, 8)] public int InferenceLanes { get; init; }

    /// <summary>
    /// The lanes chosen when <see cref="InferenceLanes"/> is 0: two when every worker's two lanes of
    /// <paramref name="intraOpThreads"/> threads each fit the cores, else one, so several jobs sharing the
    /// cores do not oversubscribe them. ONNX Runtime deciding its own threads (0) gets one lane too.
    /// </summary>
    public static int AutoLanes(int processorCount, int intraOpThreads, int workers) =>
        intraOpThreads > 0 && processorCount >= 2L * intraOpThreads * Math.Max(workers, 1) ? 2 : 1;

    /// <summary>The lanes a run uses: the set value, or <see cref="AutoLanes"/> on this machine's cores.</summary>
    public int LanesFor(int workers) =>
        InferenceLanes > 0 ? InferenceLanes : AutoLanes(Environment.ProcessorCount, IntraOpThreads, workers);

    /// <summary>
    /// Whether ONNX Runtime's idle intra-op threads spin-wait. Spinning shaves latency off each run but
    /// takes CPU from the thread that decodes the next frames; off by default for that reason.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>How long the one-time model download may take.</summary>
    [Range(1, 3600)] public int DownloadTimeoutSeconds { get; init; } = 300;

    /// <summary>The ffmpeg binary for annotated videos and previews; empty finds <c>ffmpeg</c> on the PATH.</summary>
    public string? FfmpegPath { get; init; }

    /// <summary>
    /// The ffprobe binary that explains a clip OpenCV cannot read (no video stream, a codec it cannot decode, a
    /// cut-off file); empty finds <c>ffprobe</c> beside ffmpeg, then on the PATH. Without it the refusal is generic.
    /// </summary>
    public string? FfprobePath { get; init; }

    /// <summary>
    /// Whether detection runs decode with ffmpeg (when it is installed) instead of OpenCV's built-in FFmpeg,
    /// which has no SIMD: ffmpeg decodes and scales to the model's input in one step. Runs that need full
    /// frames (an annotated video, camera-motion compensation) decode with OpenCV either way.
    /// </summary>
    public bool DecodeWithFfmpeg { get; init; } = true;
}
