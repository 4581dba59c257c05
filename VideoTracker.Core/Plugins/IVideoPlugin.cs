using VideoTracker.Core.Progress;

namespace VideoTracker.Core.Plugins;

/// <summary>A plugin groups tools. Plugins are registered in DI and resolved by id through <see cref="PluginRegistry"/>.</summary>
public interface IVideoPlugin
{
    /// <summary>The stable id clients use (<c>plugin_id</c>; ForgeSyte clients read it as <c>name</c>).</summary>
    string Id { get; }

    /// <summary>The human label, such as "OpenCV classic".</summary>
    string Title { get; }

    string Version { get; }

    string Description { get; }

    IReadOnlyList<IVideoTool> Tools { get; }
}

/// <summary>A tool runs over one video, reports <c>(current_frame, total_frames)</c>, writes frames to the sink and returns a summary.</summary>
public interface IVideoTool
{
    ToolManifest Manifest { get; }

    ToolAvailability GetAvailability();

    Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken);
}

/// <summary>Everything a tool needs for one run.</summary>
/// <param name="VideoPath">Absolute path of the stored clip.</param>
/// <param name="Device">A device from <see cref="DeviceCatalog"/>, such as <c>cpu</c>.</param>
/// <param name="Options">Validated options, with defaults filled in.</param>
/// <param name="Frames">Where the tool writes each analysed frame.</param>
/// <param name="OutputDirectory">Folder for extra outputs (such as an annotated video).</param>
public sealed record ToolRequest(
    string VideoPath,
    string Device,
    ToolOptions Options,
    IFrameSink Frames,
    string OutputDirectory)
{
    /// <summary>
    /// For a tool that counts (it declares <see cref="Counting.CountingInputs"/>): the job's counter, which takes each frame
    /// written to <see cref="Frames"/> before the write returns. A tool only reads it (the annotated video draws its running counts).
    /// </summary>
    public Counting.ZoneCounter? Counting { get; init; }
}

/// <summary>Frame counts that only the tool knows; the detection counts are derived from the frames written.</summary>
/// <param name="TotalFrames">Decoded frames (the real count, not the header's).</param>
/// <param name="ProcessedFrames">Frames analysed (fewer with a frame stride or max_frames).</param>
/// <param name="HeaderFrameCount">What the container header claimed, or null when it claimed nothing.</param>
/// <param name="DecodingEndedEarly">True when decoding stopped before the header's count (a truncated clip).</param>
/// <param name="AnnotatedVideo">File name of an annotated video in the output folder, if one was written.</param>
/// <param name="AnnotatedVideoError">Why the annotated video asked for was not written.</param>
/// <param name="AnnotatedVideoCounts">The zone counts the annotated video shows at its end, for a counting job that wrote one.</param>
public sealed record ToolRunSummary(
    int TotalFrames,
    int ProcessedFrames,
    int? HeaderFrameCount,
    bool DecodingEndedEarly,
    string? AnnotatedVideo = null,
    string? AnnotatedVideoError = null,
    IReadOnlyDictionary<string, Counting.ZoneCounts>? AnnotatedVideoCounts = null);
