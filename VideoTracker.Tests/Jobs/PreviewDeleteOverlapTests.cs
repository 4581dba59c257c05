using VideoTracker.Core.Video;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// A job deleted while its preview is being encoded, on the real app: the encode is an ffmpeg stand-in that reports
/// a frame and then waits until it is killed, so the encode is under way at the delete, however fast the machine.
/// </summary>
public sealed class PreviewDeleteOverlapTests : IAsyncLifetime
{
    private readonly TestPluginAppFactory _factory = new();
    private readonly TempDirectory _bin = new();

    private string Started => _bin.Combine("started");

    public Task InitializeAsync()
    {
        var ffmpeg = Video.FfmpegFrameReaderTests.StandIn(_bin.Combine("ffmpeg"), $"echo frame=1\necho progress=continue\ntouch '{Started}'\nexec sleep 600");
        _factory.Settings["Detection:FfmpegPath"] = ffmpeg;
        _factory.Settings["Detection:DecodeWithFfmpeg"] = "false";
        _factory.Settings["Jobs:PreparePreview"] = "true";
        _factory.Settings["Jobs:PreviewWaitSeconds"] = "300";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _factory.Plugin.Gated.Gate.Release(1000);
        await _factory.DisposeAsync();
        _bin.Dispose();
    }

    /// <summary>A gated job, once its preview's encode (started with the job) is under way.</summary>
    private async Task<Guid> SubmitUntilThePreviewEncodesAsync(HttpClient client, string name)
    {
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: name);
        var job = await client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(Started)), started => started, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50), _ => "the preview's encode never started");
        return job;
    }

    /// <summary>
    /// The delete stops this node's encode before the folder goes (its ffmpeg killed): none goes on for a job that is
    /// gone, writing into its deleted folder, only to fail at the end and log it.
    /// </summary>
    [Fact]
    public async Task Delete_WhileThePreviewIsBeingEncoded_StopsTheEncode()
    {
        using var client = _factory.CreateClient();
        var job = await SubmitUntilThePreviewEncodesAsync(client, "previewed.avi");
        var previews = _factory.Services.GetRequiredService<PreviewVideos>();
        Assert.IsType<PreviewState.Preparing>(previews.StateOf(job));
        using var cancelled = await client.PostAsync($"/v1/jobs/{job}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        using var deleted = await client.DeleteAsync($"/v1/jobs/{job}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.IsType<PreviewState.NotStarted>(previews.StateOf(job));
        Assert.False(Directory.Exists(_factory.Services.GetRequiredService<DataPaths>().JobDirectory(job)));
    }

    /// <summary>
    /// A request that found its job just before a delete removed it, and asks for the preview only after (so no encode
    /// was under way for the delete to stop): its encode finds the job's folder gone and stops as a delete stops one,
    /// which the request answers 404. On the old code the lock file's DirectoryNotFoundException was a 500.
    /// </summary>
    [Fact]
    public async Task Prepare_ForAJobWhoseFolderADeleteRemoved_StopsAsTheDeleteWouldHaveStoppedIt()
    {
        var previews = _factory.Services.GetRequiredService<PreviewVideos>();
        var gone = Guid.NewGuid();
        var job = new VideoJob
        {
            JobId = gone,
            PluginId = TestPlugin.PluginId,
            Tool = "gated",
            OriginalFileName = "gone.avi",
            StoredFilePath = $"jobs/{gone:N}/input.avi",
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => previews.PrepareAsync(job, CancellationToken.None));
        Assert.False(Directory.Exists(_factory.Services.GetRequiredService<DataPaths>().JobDirectory(gone)));
    }

    /// <summary>
    /// A GET of the preview that waits for the encode when the job is deleted answers 404, as for any deleted job, and at
    /// once: the stopped encode was a 500 ("operation was canceled"). Had the delete come first, its lookup would
    /// answer 404 too, so the order can only make this test pass for the right reason or fail on a real defect.
    /// </summary>
    [Fact]
    public async Task PreviewRequest_WaitingWhenItsJobIsDeleted_Answers404()
    {
        using var client = _factory.CreateClient();
        var job = await SubmitUntilThePreviewEncodesAsync(client, "watched.avi");
        using var cancelled = await client.PostAsync($"/v1/jobs/{job}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var waiting = client.GetAsync($"/v1/jobs/{job}/preview");
        await Task.Delay(TimeSpan.FromSeconds(2));   // the GET is waiting for the encode by now (it waits up to 300 s)

        using var deleted = await client.DeleteAsync($"/v1/jobs/{job}");
        using var preview = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, preview.StatusCode);
        Assert.Equal("Job not found", JsonDocument.Parse(await preview.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }
}
