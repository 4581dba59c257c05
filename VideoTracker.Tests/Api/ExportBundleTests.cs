using System.IO.Compression;
using VideoTracker.Core.Export;

namespace VideoTracker.Tests.Api;

/// <summary><c>GET /v1/jobs/{id}/export/all</c>: every format's own download, and the stored results files, in one ZIP.</summary>
public sealed class ExportBundleTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Bundle_OfADetectionJob_HoldsEveryFormatAsItsOwnDownloadAndTheSummary()
    {
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 12, name: "bundle.avi"));
        var formats = factory.Services.GetRequiredService<ResultExporters>().All;

        using var response = await _client.GetAsync($"/v1/jobs/{job}/export/all");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"results-{job:N}.zip", response.Content.Headers.ContentDisposition?.FileName);
        var entries = await EntriesAsync(response);
        Assert.Equal([.. formats.Select(f => f.FileName(job)), "summary.json"], entries.Keys);
        foreach (var format in formats)
        {
            Assert.Equal(await _client.GetByteArrayAsync($"/v1/jobs/{job}/export?format={format.Format}"), entries[format.FileName(job)]);
        }

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(ResultsFolder(job), "summary.json")), entries["summary.json"]);
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Bundle_OfACountingJob_AlsoHoldsItsTrackTableAndEventLog()
    {
        // The real tracking tool on vtest.avi's first 25 frames, with a line: it stores a track table and an event log.
        var job = await _client.SubmitCompletedAsync(TestClips.SampleClip, "yolo-tracker", "video_player_tracking", new Dictionary<string, string>
        {
            ["max_frames"] = "25",
            ["zones"] = """[{"name": "gate", "type": "line", "points": [[100, 400], [600, 380]]}]""",
        });

        using var response = await _client.GetAsync($"/v1/jobs/{job}/export/all");

        var entries = await EntriesAsync(response);
        Assert.Equal(["summary.json", "tracks.json", "events.json"], entries.Keys.TakeLast(3));
        foreach (var name in new[] { "tracks.json", "events.json" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(ResultsFolder(job), name)), entries[name]);
        }
    }

    [Fact]
    public async Task Bundle_OfAJobStillRunning_Is409()
    {
        var job = await _client.SubmitRunningAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: "bundle-gated.avi"), TestPlugin.PluginId, "gated");

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/export/all"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("The job is running: results are available once it is completed.", problem.Detail());
        factory.Plugin.Gated.Gate.Release(4);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(job)).Status());
    }

    private string ResultsFolder(Guid job) => Path.Combine(factory.DataDirectory, "jobs", job.ToString("N"), "results");

    /// <summary>The archive's entries, in order, with their bytes.</summary>
    private static async Task<Dictionary<string, byte[]>> EntriesAsync(HttpResponseMessage response)
    {
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var content = entry.Open();
            using var bytes = new MemoryStream();
            await content.CopyToAsync(bytes);
            entries.Add(entry.FullName, bytes.ToArray());
        }

        return entries;
    }
}
