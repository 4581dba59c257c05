using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Plugins;

/// <summary>Each tool reads its options once into a typed record; every value comes from the bound options, so from the manifest by default.</summary>
public sealed class TypedToolOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DetectorSessions _sessions = new(Options.Create(new DetectionOptions()), NullLogger<DetectorSessions>.Instance);

    [Fact]
    public void MotionDetectionOptions_NothingGiven_TakesEachDefaultFromTheManifest()
    {
        var inputs = new MotionDetectionTool().Manifest.Inputs;

        var options = MotionDetectionOptions.Read(Bind(inputs));

        Assert.Equal(Default<int>(inputs, MotionDetectionOptions.MinAreaOption), options.MinArea);
        Assert.Equal(Default<double>(inputs, MotionDetectionOptions.VarThresholdOption), options.VarThreshold);
        Assert.Equal(Default<int>(inputs, MotionDetectionOptions.HistoryOption), options.History);
        Assert.Equal(new FrameSelection(Default<int>(inputs, FrameSelection.StrideOption), null), options.Frames);
    }

    [Fact]
    public void PeopleDetectionOptions_ValuesGiven_AreReadTyped()
    {
        var inputs = new PeopleDetectionTool().Manifest.Inputs;

        var options = PeopleDetectionOptions.Read(Bind(inputs, (PeopleDetectionOptions.ScaleOption, "1.2"), (FrameSelection.MaxFramesOption, "7")));

        Assert.Equal(Default<double>(inputs, PeopleDetectionOptions.HitThresholdOption), options.HitThreshold);
        Assert.Equal(1.2, options.Scale);
        Assert.Equal(new FrameSelection(1, 7), options.Frames);
    }

    [Theory]
    [InlineData(YoloToolKind.PlayerDetection)]
    [InlineData(YoloToolKind.PlayerTracking)]
    public void YoloToolOptions_NothingGiven_TakesEachDefaultFromTheManifestAndTracksOnlyForTracking(YoloToolKind kind)
    {
        var inputs = Yolo(kind).Manifest.Inputs;
        var tracking = kind == YoloToolKind.PlayerTracking;

        var options = YoloToolOptions.Read(Bind(inputs), tracking);

        Assert.Equal(Default<double>(inputs, YoloTool.ConfidenceOption), options.Confidence);
        Assert.Equal(Default<double>(inputs, YoloToolOptions.IouOption), options.Iou);
        Assert.False(options.Annotated);
        Assert.Equal(tracking, options.Tracking is not null);
        if (options.Tracking is { } settings)
        {
            Assert.Equal(Default<int>(inputs, TrackingInputs.TrackBuffer), settings.TrackBuffer);
            Assert.Equal(Default<double>(inputs, TrackingInputs.MatchThreshold), settings.MatchThreshold);
            Assert.Equal(Default<bool>(inputs, TrackingInputs.Interpolate), settings.Interpolate);
            Assert.Equal(Default<int>(inputs, TrackingInputs.MinTrackLength), settings.MinTrackLength);
        }
    }

    [Fact]
    public void Read_OptionsNotBoundAgainstTheTool_ThrowsNamingTheOption()
    {
        var unbound = ToolOptions.Empty;

        var error = Assert.Throws<InvalidOperationException>(() => MotionDetectionOptions.Read(unbound));

        Assert.Contains("'min_area' is not declared", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameSelection_ToolWithoutFrameOptions_AnalysesEveryFrameWithoutLimit()
    {
        var unbound = ToolOptions.Empty;

        Assert.Equal(new FrameSelection(1, null), FrameSelection.From(unbound));
    }

    public void Dispose()
    {
        _sessions.Dispose();
        _temp.Dispose();
    }

    private YoloTool Yolo(YoloToolKind kind) => new(
        kind,
        new DetectionModel(Options.Create(new DetectionOptions { ModelPath = _temp.Combine("absent.onnx") }), new DataPaths(_temp.Path), NullLogger<DetectionModel>.Instance),
        _sessions,
        new FfmpegLocator(configuredPath: null));

    private static ToolOptions Bind(IReadOnlyList<ToolInput> inputs, params (string Name, string Value)[] given) =>
        ToolOptions.Bind(inputs, given.ToDictionary(g => g.Name, g => (string?)g.Value)).AssertBound();

    private static T Default<T>(IReadOnlyList<ToolInput> inputs, string name) =>
        (T)Convert.ChangeType(inputs.Single(i => i.Name == name).Default, typeof(T), CultureInfo.InvariantCulture)!;
}
