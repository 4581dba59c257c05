namespace VideoTracker.Core.OpenCvClassic;

/// <summary>Inputs that every frame-by-frame tool shares.</summary>
public static class CommonInputs
{
    public static ToolInput FrameStride { get; } = new(
        FrameSelection.StrideOption, ToolInputType.WholeNumber, "Frame stride",
        "Analyse every Nth frame. Progress still counts every decoded frame.", 1, 1, 1000);

    public static ToolInput MaxFrames { get; } = new(
        FrameSelection.MaxFramesOption, ToolInputType.WholeNumber, "Max frames",
        "Stop after this many decoded frames. Empty means the whole clip.", null, 1, 10_000_000);
}
