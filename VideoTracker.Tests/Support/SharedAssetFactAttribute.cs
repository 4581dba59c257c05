namespace VideoTracker.Tests.Support;

/// <summary>What a test needs from <c>../shared</c>.</summary>
[Flags]
public enum SharedAsset
{
    Model = 1,
    Sample = 2,
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

public static class SharedAssets
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the test must run: the assets are there, or this is CI.</summary>
    public static string? SkipReason(SharedAsset needs)
    {
        var missing = new List<string>();
        if (needs.HasFlag(SharedAsset.Model) && !File.Exists(TestClips.ModelPath))
        {
            missing.Add(TestClips.ModelPath);
        }

        if (needs.HasFlag(SharedAsset.Sample) && !File.Exists(TestClips.SampleClip))
        {
            missing.Add(TestClips.SampleClip);
        }

        return missing.Count == 0 || InCi ? null : $"Needs {string.Join(" and ", missing)} (absent here; CI has it).";
    }
}
