using Microsoft.Extensions.Logging.Abstractions;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Detection;

/// <summary>The one-time model download, against a real HTTP server on 127.0.0.1 that serves the shared model.</summary>
public sealed class ModelDownloadTests : IDisposable
{
    private const string ModelSha256 = "695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14";
    private readonly TempDirectory _temp = new();

    [SharedAssetFact(SharedAsset.Model)]
    public async Task DownloadAsync_FromLocalServer_WritesTheModelWithTheExpectedSha256()
    {
        await using var server = await LocalFileServer.StartAsync(TestClips.ModelPath);
        using var http = new HttpClient();
        var destination = _temp.Combine("models", "yolox_nano.onnx");
        var reported = new List<int?>();

        var sha = await new ModelDownloader(http, NullLogger.Instance).DownloadAsync(
            server.UrlOf("yolox_nano.onnx"), destination, ModelSha256, new SyncIntProgress(reported.Add), CancellationToken.None);

        Assert.Equal(ModelSha256, sha);
        Assert.Equal(File.ReadAllBytes(TestClips.ModelPath), File.ReadAllBytes(destination));
        Assert.False(File.Exists(destination + ".part"));
        Assert.Contains(100, reported);
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task DownloadAsync_ShaMismatch_ThrowsAndLeavesNoFile()
    {
        await using var server = await LocalFileServer.StartAsync(TestClips.ModelPath);
        using var http = new HttpClient();
        var destination = _temp.Combine("models", "yolox_nano.onnx");
        var wrong = new string('0', 64);

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http, NullLogger.Instance).DownloadAsync(
            server.UrlOf("yolox_nano.onnx"), destination, wrong, null, CancellationToken.None));

        Assert.Contains(ModelSha256, ex.Message, StringComparison.Ordinal);
        Assert.Contains(wrong, ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp.Combine("models")));
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task DownloadAsync_NotFound_ThrowsWithTheStatus()
    {
        await using var server = await LocalFileServer.StartAsync(TestClips.ModelPath);
        using var http = new HttpClient();
        var destination = _temp.Combine("models", "yolox_nano.onnx");

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http, NullLogger.Instance).DownloadAsync(
            server.UrlOf("missing.onnx"), destination, null, null, CancellationToken.None));

        Assert.Contains("404", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(destination));
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task App_WithoutAModelFile_DownloadsItOnceInTheBackgroundAndTheToolsBecomeAvailable()
    {
        await using var server = await LocalFileServer.StartAsync(TestClips.ModelPath);
        using var factory = new VideoTrackerAppFactory();
        factory.Settings["Detection:ModelPath"] = string.Empty;
        factory.Settings["Detection:ModelUrl"] = server.UrlOf("yolox_nano.onnx").ToString();
        factory.Settings["Detection:ModelSha256"] = ModelSha256;
        var client = factory.CreateClient();

        var tool = await WaitForToolAsync(client, YoloTool.PlayerTrackingId, t => t.GetProperty("available").GetBoolean());

        Assert.True(tool.GetProperty("available").GetBoolean());
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "models", "yolox_nano.onnx")));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task App_OfflineWithoutAModel_ListsTheYoloToolsUnavailableRefusesThemAndStillRunsOthers()
    {
        using var factory = new VideoTrackerAppFactory();
        factory.Settings["Detection:ModelPath"] = string.Empty;
        factory.Settings["Detection:ModelUrl"] = "http://127.0.0.1:9/yolox_nano.onnx"; // discard port: nothing listens
        var client = factory.CreateClient();

        var tool = await WaitForToolAsync(client, YoloTool.PlayerDetectionId, t => t.GetProperty("reason").GetString()?.Contains("download failed", StringComparison.Ordinal) == true);
        Assert.False(tool.GetProperty("available").GetBoolean());

        using var clips = new TempDirectory();
        var clip = TestClips.MovingSquare(clips.Path, frames: 10);
        using var form = ApiClient.SubmitForm(clip, "yolo-tracker", YoloTool.PlayerDetectionId);
        using var refused = await client.PostAsync("/v1/video/submit", form);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("download failed", problem.Detail(), StringComparison.Ordinal);

        await client.SubmitCompletedAsync(clip);
    }

    private static Task<JsonElement> WaitForToolAsync(HttpClient client, string toolId, Func<JsonElement, bool> until) =>
        Poll.UntilAsync(
            async () => (await client.GetJsonAsync("/v1/plugins")).GetProperty("plugins").EnumerateArray()
                .Single(p => p.GetProperty("id").GetString() == YoloTrackerPlugin.PluginId)
                .GetProperty("tools").EnumerateArray()
                .Single(t => t.GetProperty("id").GetString() == toolId),
            until,
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(50),
            tool => $"The tool never reached the expected state; last: {tool}");

    public void Dispose() => _temp.Dispose();

    private sealed class SyncIntProgress(Action<int?> report) : IProgress<int?>
    {
        public void Report(int? value) => report(value);
    }
}
