using VideoTracker.Core.Progress;

namespace VideoTracker.Core.OpenCvClassic;

/// <summary>The typed options of a <see cref="FrameAnalyserTool{TOptions}"/>: its own, plus which frames to analyse.</summary>
public interface IFrameToolOptions
{
    FrameSelection Frames { get; }
}

/// <summary>
/// A tool that runs one <see cref="IFrameAnalyser"/> over the selected frames of a clip, the shape of every
/// OpenCV-classic tool: the manifest takes a video and the tool's own inputs, then <see cref="CommonInputs"/>;
/// the tool is always available; a run reads the options once, builds the analyser and hands it to
/// <see cref="FrameLoop"/>, and disposes it afterwards. A tool says only what is its own.
/// </summary>
public abstract class FrameAnalyserTool<TOptions>(string id, string title, string description, params ToolInput[] inputs) : IOpenCvClassicTool
    where TOptions : IFrameToolOptions
{
    public ToolManifest Manifest { get; } = new(
        id, title, description, [ToolManifest.VideoInput], [.. inputs, CommonInputs.FrameStride, CommonInputs.MaxFrames]);

    public ToolAvailability GetAvailability() => ToolAvailability.Yes;

    public async Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = ReadOptions(request.Options);
        var analyser = CreateAnalyser(options);
        try
        {
            return await FrameLoop.RunAsync(request, options.Frames, analyser, progress, cancellationToken, Decoder).ConfigureAwait(false);
        }
        finally
        {
            (analyser as IDisposable)?.Dispose();
        }
    }

    /// <summary>The ffmpeg that decodes for an <see cref="IScaledFrameAnalyser"/>, or null to decode with OpenCV.</summary>
    protected virtual string? Decoder => null;

    /// <summary>The tool's options, typed (the defaults come from the manifest, filled in at submit).</summary>
    protected abstract TOptions ReadOptions(ToolOptions options);

    /// <summary>The analyser for one run; disposed when the run ends if it is <see cref="IDisposable"/>.</summary>
    protected abstract IFrameAnalyser CreateAnalyser(TOptions options);
}
