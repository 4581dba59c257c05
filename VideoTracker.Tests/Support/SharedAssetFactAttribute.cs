namespace VideoTracker.Tests.Support;

/// <summary>What a test needs from <c>../shared</c>.</summary>
[Flags]
public enum SharedAsset
{
    Model = 1,
    Sample = 2,
    Tracking = 4,
}

/// <summary>
/// A fact that needs the shared YOLOX model and/or the vtest.avi sample. It skips with the reason where
/// they are absent, except in CI (<c>CI=true</c>): there it runs and fails loudly, so CI never skips it.
/// </summary>
public sealed class SharedAssetFactAttribute : FactAttribute
{
    public SharedAssetFactAttribute(SharedAsset needs)
    {
        Skip = SharedAssets.SkipReason(needs);
    }
}

/// <summary>The theory form of <see cref="SharedAssetFactAttribute"/>: skips, or fails in CI, alike.</summary>
public sealed class SharedAssetTheoryAttribute : TheoryAttribute
{
    public SharedAssetTheoryAttribute(SharedAsset needs)
    {
        Skip = SharedAssets.SkipReason(needs);
    }
}

public static class SharedAssets
{
    /// <summary>Null when the test must run: the assets are there, or this is CI.</summary>
    public static string? SkipReason(SharedAsset needs) =>
        SkipReason(needs, TestClips.ModelPath, TestClips.SampleClip, Environment.GetEnvironmentVariable("CI"));

    public static string? SkipReason(SharedAsset needs, string modelPath, string samplePath, string? ciVariable)
    {
        var missing = new List<string>();
        if (needs.HasFlag(SharedAsset.Model) && !File.Exists(modelPath))
        {
            missing.Add(modelPath);
        }

        if (needs.HasFlag(SharedAsset.Sample) && !File.Exists(samplePath))
        {
            missing.Add(samplePath);
        }

        if (needs.HasFlag(SharedAsset.Tracking) && !Directory.Exists(TestClips.TrackingFixtures))
        {
            missing.Add(TestClips.TrackingFixtures);
        }

        // In CI a missing asset is a failure to see, never a skip.
        var inCi = string.Equals(ciVariable, "true", StringComparison.OrdinalIgnoreCase);
        return missing.Count == 0 || inCi ? null : $"Needs {string.Join(" and ", missing)} (absent here; CI has it).";
    }
}
