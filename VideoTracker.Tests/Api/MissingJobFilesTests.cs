using VideoTracker.Core.Detection;
using VideoTracker.Core.Storage;
using VideoTracker.Tests.Detection;

namespace VideoTracker.Tests.Api;

/// <summary>
/// Rows whose files are gone, as a restore that copied the database but not all of the data folder leaves them: each
/// download says what is missing, at once, rather than 500 or a 503 that asks again for ever.
/// </summary>
public sealed class MissingJobFilesTests(DetectionAppFactory factory) : IClassFixture<DetectionAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private string JobFolder(Guid job) => new DataPaths(factory.DataDirectory).JobDirectory(job);

    private Task<Guid> MotionJobAsync() =>
        _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, name: $"{Guid.NewGuid():N}.avi"));

    private void DeleteClip(Guid job)
    {
        var inputs = Directory.GetFiles(JobFolder(job), "input.*");
        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
        {
            File.Delete(input);
        }
    }

    [Fact]
    public async Task Preview_OfAJobWhoseClipIsGone_Is404NamingTheClip_AndOneWhoseWholeFolderIsGone_Too()
    {
        var clipGone = await MotionJobAsync();
        var folderGone = await MotionJobAsync();
        DeleteClip(clipGone);
        Directory.Delete(JobFolder(folderGone), recursive: true);

        foreach (var job in new[] { folderGone, clipGone })
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head, HttpMethod.Get })
            {
                using var response = await _client.SendAsync(new HttpRequestMessage(method, $"/v1/jobs/{job}/preview"));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Null(response.Headers.RetryAfter);
            }

            var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/preview"));
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("The original clip of this job is no longer on the server.", problem.Detail());
        }

        // The rest of the job still answers, and it can be deleted.
        using var view = await _client.GetAsync($"/v1/jobs/{clipGone}");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        using var delete = await _client.DeleteAsync($"/v1/jobs/{folderGone}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task Preview_AlreadyMade_IsServedAfterItsClipIsGone()
    {
        var job = await MotionJobAsync();
        var preview = await _client.GetPreviewAsync(job);
        DeleteClip(job);

        Assert.Equal(preview, await _client.GetByteArrayAsync($"/v1/jobs/{job}/preview"));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Annotated_WhoseFileIsGone_SaysItIsMissing_NotThatTheJobHadNone()
    {
        var clip = SampleClips.VtestCut(factory.Clips.Path, 10, "annotated-gone.avi");
        var job = await _client.SubmitCompletedAsync(clip, YoloTrackerPlugin.PluginId, YoloTool.PlayerDetectionId, new Dictionary<string, string> { ["annotated"] = "true" });
        var annotated = Directory.GetFiles(Path.Combine(JobFolder(job), "results"), "*.mp4");
        Assert.NotEmpty(annotated);
        File.Delete(Assert.Single(annotated));

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/annotated"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("The annotated video of this job is missing on the server.", problem.Detail());
    }
}
