using Xunit.Abstractions;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// The database drops a worker's connection just as it saves a job's end: a PostgreSQL trigger on the real cluster
/// (<see cref="MultiNodeCluster"/>) terminates the saving backend itself (<c>pg_terminate_backend</c>, SQLSTATE
/// <c>57P01</c>, as a <c>pg_ctl restart</c> does), only for the clip the test names, so the moment is exact.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class CompletionDropTests(MultiNodeCluster shared, ITestOutputHelper output) : IClassFixture<MultiNodeCluster>, IDisposable
{
    private readonly TempDirectory _temp = new();

    [PostgresFact]
    public async Task Complete_WhenTheConnectionDropsAsTheWorkerSavesIt_RetriesAndCompletesTheJobOnce()
    {
        var (cluster, job, done) = await RunWithDropsAsync("drop-once.avi", drops: 1);

        Assert.Equal("completed", done.Status());
        Assert.Equal(0, done.GetProperty("attempts").GetInt32());
        Assert.Equal(1, await cluster.CountInWorkerLogsAsync($"Job {job} finished"));
        Assert.Equal(1, cluster.CountInWorkerLogs($"Job {job}: saving its completion failed (try 1)"));
        Assert.Equal(1, cluster.CountInWorkerLogs($"Job {job} started"));
    }

    [PostgresFact]
    public async Task Complete_WhenEveryWriteOfTheEndFailsWhileTheLeaseLasts_TheSweepCompletesItFromItsResultsWithoutRunningItAgain()
    {
        var (cluster, job, done) = await RunWithDropsAsync("drop-always.avi", drops: 1_000);

        Assert.Equal("completed", done.Status());
        Assert.Equal(1, cluster.CountInWorkerLogs($"Job {job} started"));
        Assert.Equal(1, await cluster.CountInWorkerLogsAsync($"Job {job}: the database was away or full while its end was saved"));
        Assert.DoesNotContain($"Job {Guid.Empty}", cluster.WorkerOutput, StringComparison.Ordinal);
        var results = (await cluster.Web.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results");
        Assert.Equal(Enumerable.Range(0, 60), results.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32()));
    }

    /// <summary>Submits a copy of the short clip whose ending drops its connection <paramref name="drops"/> times, and waits for its end.</summary>
    private async Task<(MultiNodeCluster Cluster, Guid Job, JsonElement Done)> RunWithDropsAsync(string name, int drops)
    {
        var cluster = await shared.GetAsync(output);
        var clip = await DropWhileLeasedAsync(cluster, name, drops);

        var job = await cluster.Web.SubmitAsync(clip);
        return (cluster, job, await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 120));
    }

    /// <summary>
    /// A copy of the short clip named <paramref name="name"/>, whose job's first <paramref name="drops"/> writes of an
    /// end (completed or failed) made while its lease runs (by its worker, not the sweep) lose their connection.
    /// </summary>
    private async Task<string> DropWhileLeasedAsync(MultiNodeCluster cluster, string name, int drops)
    {
        var clip = _temp.Combine(name);
        Directory.CreateDirectory(_temp.Path);
        File.Copy(cluster.ShortClip, clip);
        var id = Path.GetFileNameWithoutExtension(name).Replace('-', '_');
        await cluster.Database.ScalarAsync<object>($"""
            CREATE SEQUENCE {id}_drops;
            CREATE FUNCTION {id}_drop() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.original_file_name = '{name}' AND NEW.status IN ('completed', 'failed') AND OLD.lease_expires_at > now()
                 AND nextval('{id}_drops') <= {drops} THEN
                PERFORM pg_terminate_backend(pg_backend_pid());
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER {id}_drop BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION {id}_drop();
            """);
        return clip;
    }

    public void Dispose() => _temp.Dispose();
}
