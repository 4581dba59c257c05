using Microsoft.Extensions.Logging;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Video;

/// <summary>
/// The ffmpeg the app found at start-up stops working while it runs: a file at <c>Detection:FfmpegPath</c> that cannot
/// be executed, or an ffmpeg removed after start-up. A job fails saying so, or decodes with OpenCV; it never hangs.
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

    /// <summary>An annotated run decodes with OpenCV and its video is given up; .NET's message named the server's paths.</summary>
    [SharedAssetFact(SharedAsset.Model)]
    public async Task AnnotatedDetection_FfmpegCannotBeStarted_CompletesAndSaysWhyWithoutTheServersPaths()
    {
        var client = ClientWithFfmpeg(NotExecutable());

        var job = await client.SubmitAsync(
            TestClips.MovingSquare(_factory.Clips.Path, frames: 5, name: "annotated.avi"), YoloTrackerPlugin.PluginId, YoloTool.PlayerDetectionId, new Dictionary<string, string> { ["annotated"] = "true" });

        var done = await client.WaitForTerminalAsync(job, timeoutSeconds: 30);
        Assert.True(done.Status() == "completed", done.ToString());
        var summary = (await client.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results").GetProperty("summary");
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("annotated_video").ValueKind);
        Assert.Equal(
            "The annotated video was not produced: ffmpeg, which writes the annotated video, could not be started on this server (Permission denied). Check ffmpeg there (Detection:FfmpegPath, or ffmpeg on the PATH), then run the job again.",
            summary.GetProperty("extra").GetProperty("annotated_video_error").GetString());
    }

    /// <summary>The browser preview's encode: a generic 500 ("Internal Server Error") before, from the Win32Exception.</summary>
    [Fact]
    public async Task Preview_FfmpegCannotBeStarted_Is500SayingSoWithoutTheServersPaths()
    {
        var client = ClientWithFfmpeg(NotExecutable());
        var job = await client.SubmitAsync(TestClips.MovingSquare(_factory.Clips.Path, name: "preview.avi"));
        await client.WaitForTerminalAsync(job, timeoutSeconds: 30);

        using var response = await client.GetAsync($"/v1/jobs/{job}/preview");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(
            "ffmpeg, which encodes the browser preview, could not be started on this server (Permission denied). Check ffmpeg there (Detection:FfmpegPath, or ffmpeg on the PATH), then open the preview again.",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    /// <summary>
    /// ffmpeg stops being executable after a job's preview was made, and the preview is then asked for once it is gone:
    /// the 500 is the server's to mend, so the log says so, once. Since the 500 names the reason, nothing logged it.
    /// </summary>
    [Fact]
    public async Task Preview_FfmpegCannotBeStartedForARequest_IsLoggedOnce()
    {
        var log = new ListLogger<PreviewVideos>();
        _factory.ConfigureServices = services => services.AddSingleton<ILogger<PreviewVideos>>(log);
        var ffmpeg = Path.Combine(_factory.Clips.Path, "ffmpeg");
        File.Copy(SystemFfmpeg(), ffmpeg);
        var client = ClientWithFfmpeg(ffmpeg);
        var job = await client.SubmitAsync(TestClips.MovingSquare(_factory.Clips.Path, name: "made.avi"));
        await client.WaitForTerminalAsync(job, timeoutSeconds: 60);
        await client.GetPreviewAsync(job);

        File.Delete(_factory.Services.GetRequiredService<PreviewVideos>().PathFor(job));
        DropExecuteBit(ffmpeg);
        using var response = await client.GetAsync($"/v1/jobs/{job}/preview");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(log.Messages, m => m.Contains("could not be made", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ffmpeg_RemovedAfterStartUp_HealthSaysSoAndJobsDecodeWithOpenCv()
    {
        var ffmpeg = Path.Combine(_factory.Clips.Path, "ffmpeg");
        File.Copy(SystemFfmpeg(), ffmpeg);
        var client = ClientWithFfmpeg(ffmpeg);
        Assert.Equal("healthy", await FfmpegCheckAsync(client));

        File.Delete(ffmpeg);

        Assert.Equal("degraded", await FfmpegCheckAsync(client));
        var job = await client.SubmitAsync(TestClips.MovingSquare(_factory.Clips.Path, name: "after.avi"));
        var done = await client.WaitForTerminalAsync(job, timeoutSeconds: 60);
        Assert.True(done.Status() == "completed", done.ToString());
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
        DropExecuteBit(path);
        return path;
    }

    private static void DropExecuteBit(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string SystemFfmpeg() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "ffmpeg")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("These tests need ffmpeg on the PATH (scripts/test.sh installs it).");

    private static async Task<string?> FfmpegCheckAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return ready.GetProperty("checks").GetProperty("ffmpeg").GetProperty("status").GetString();
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
