namespace VideoTracker.Tests.Detection;

/// <summary>Tests that need ../shared skip where it is absent, but never in CI.</summary>
public sealed class SharedAssetFactTests
{
    private const string Missing = "/nonexistent/shared/models/yolox_nano.onnx";

    [Fact]
    public void SkipReason_AssetMissingOutsideCi_SkipsNamingTheFile()
    {
        var reason = SharedAssets.SkipReason(SharedAsset.Model, Missing, Missing, ciVariable: null);

        Assert.NotNull(reason);
        Assert.Contains(Missing, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipReason_AssetMissingInCi_RunsSoTheTestFailsLoudly()
    {
        Assert.Null(SharedAssets.SkipReason(SharedAsset.Model | SharedAsset.Sample, Missing, Missing, ciVariable: "true"));
    }

    [Fact]
    public void SkipReason_AssetPresent_Runs()
    {
        var present = typeof(SharedAssetFactTests).Assembly.Location;

        Assert.Null(SharedAssets.SkipReason(SharedAsset.Model | SharedAsset.Sample, present, present, ciVariable: "false"));
    }
}
