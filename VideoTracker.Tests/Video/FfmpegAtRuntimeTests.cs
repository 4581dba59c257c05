using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Video;

/// <summary>
/// The ffmpeg the app found at start-up stops working while it runs: a file at <c>Detection:FfmpegPath</c> that cannot
/// be executed. A job fails saying so; it never hangs.
/// </summary>
public sealed class FfmpegAtRuntimeTests : IDisposable
{
    private const string CannotStart = "ffmpeg, which decodes the video, could not be started on this server (Permission denied).";

    private readonly VideoTrackerAppFactory _factory = new();

    /// <summary>The detection pipeline decodes on a thread of its own; its consumer used to wait for frames for ever.</summary>
    [SharedAssetFact(SharedAsset.Model)]
    public async Task Detection_FfmpegCannotBeStarted_FailsTheJobNamingFfmpegInsteadOfHanging()
    {
        var client = ClientWithFfmpeg(NotExecutable());

        var job = await client.SubmitAsync(TestClips.MovingSquare(_factory.Clips.Path, name: "detect.avi"), YoloTrackerPlugin.PluginId, YoloTool.PlayerDetectionId);

        await AssertFailedAsync(client, job, CannotStart);
    }

    [Fact]
    public async Task Motion_FfmpegCannotBeStarted_FailsTheJobNamingFfmpeg()
    {
        var client = ClientWithFfmpeg(NotExecutable());

        var job = await client.SubmitAsync(TestClips.MovingSquare(_factory.Clips.Path, name: "motion.avi"));

        await AssertFailedAsync(client, job, CannotStart);
    }

    public void Dispose() => _factory.Dispose();

    private HttpClient ClientWithFfmpeg(string path)
    {
        _factory.Settings["Detection:FfmpegPath"] = path;
        _factory.Settings["Jobs:Workers"] = "1";
        return _factory.CreateClient();
    }

    /// <summary>A file where ffmpeg was, without the execute bit: starting it fails with EACCES, for root too.</summary>
    private string NotExecutable()
    {
        var path = Path.Combine(_factory.Clips.Path, "ffmpeg-not-executable");
        File.WriteAllText(path, "not a program");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static async Task AssertFailedAsync(HttpClient client, Guid job, string errorStart)
    {
        var done = await client.WaitForTerminalAsync(job, timeoutSeconds: 30);
        Assert.True(done.Status() == "failed", done.ToString());
        var error = (await client.GetJsonAsync($"/v1/jobs/{job}")).GetProperty("error").GetString();
        Assert.StartsWith(errorStart, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), error, StringComparison.Ordinal);
    }
}
