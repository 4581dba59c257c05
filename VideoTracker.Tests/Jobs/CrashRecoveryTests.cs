namespace VideoTracker.Tests.Jobs;

/// <summary>The real app as a child process, killed with SIGKILL mid-job and started again on the same data.</summary>
[Collection(SerialCollection.Name)]
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Restart_AfterSigkillMidJob_CompletesTheJobExactlyOnceWithWholeResultsAndTouchesNoOtherJob()
    {
        var data = _temp.Combine("data");
        var shortClip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 10, name: "short.avi");
        var longClip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 3000, width: 640, height: 480, name: "long.avi");
        var settings = new Dictionary<string, string> { ["Jobs__SweepSeconds"] = "1", ["Jobs__LeaseSeconds"] = "6" };

        Guid finished, interrupted;
        string finishedSummary;
        JsonElement finishedBefore;
        using (var first = await AppProcess.StartAsync(data, settings))
        {
            using var client = first.CreateClient();
            finished = await client.SubmitAsync(shortClip);
            finishedBefore = await client.WaitForTerminalAsync(finished);
            finishedSummary = await File.ReadAllTextAsync(SummaryPath(data, finished));

            interrupted = await client.SubmitAsync(longClip);
            var midway = await client.WaitForStatusAsync(interrupted, s => s.Progress() >= 5);
            Assert.Equal("running", midway.Status());
            first.Kill();
        }

        // Between the two processes the database still says running: nothing ended the job gracefully.
        Assert.Equal("running", await ReadStatusAsync(data, interrupted));

        using var second = await AppProcess.StartAsync(data, settings);
        using var again = second.CreateClient();
        var done = await again.WaitForTerminalAsync(interrupted, timeoutSeconds: 180);

        Assert.Equal("completed", done.Status());
        Assert.Equal(100, done.Progress());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        var frames = (await again.GetJsonAsync($"/v1/video/results/{interrupted}")).GetProperty("results");
        Assert.Equal(3000, frames.GetProperty("summary").GetProperty("total_frames").GetInt32());
        Assert.Equal(Enumerable.Range(0, 3000), frames.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32()));
        Assert.False(Directory.Exists(Path.Combine(data, "jobs", interrupted.ToString("N"), "results.partial")));
        // The finish line is logged just after the row says completed, and the child's output arrives asynchronously.
        for (var i = 0; i < 100 && CountOccurrences(second.Output, $"Job {interrupted} finished") == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, CountOccurrences(second.Output, $"Job {interrupted} started"));
        Assert.Equal(1, CountOccurrences(second.Output, $"Job {interrupted} finished"));

        var finishedAfter = await again.GetStatusAsync(finished);
        Assert.Equal(finishedBefore.GetProperty("completed_at").GetDateTime(), finishedAfter.GetProperty("completed_at").GetDateTime());
        Assert.Equal(0, finishedAfter.GetProperty("attempts").GetInt32());
        Assert.Equal(finishedSummary, await File.ReadAllTextAsync(SummaryPath(data, finished)));
        var all = (await again.GetJsonAsync("/v1/jobs")).GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetGuid());
        Assert.Equal(new[] { finished, interrupted }.Order(), all.Order());
    }

    private static async Task<string?> ReadStatusAsync(string data, Guid job)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "videotracker.db")};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT status FROM jobs WHERE job_id = $id";
        command.Parameters.AddWithValue("$id", job.ToString().ToUpperInvariant());
        return (string?)await command.ExecuteScalarAsync();
    }

    private static string SummaryPath(string data, Guid job) => Path.Combine(data, "jobs", job.ToString("N"), "results", "summary.json");

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    public void Dispose() => _temp.Dispose();
}
