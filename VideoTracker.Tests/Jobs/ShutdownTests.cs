namespace VideoTracker.Tests.Jobs;

/// <summary>
/// The app as a real child process, stopped with SIGTERM while an upload is still arriving. The server lets a request
/// in flight finish within the host's shutdown time: the job it creates waits for the next start instead of being
/// started and at once interrupted, and a stop whose time runs out still ends cleanly.
/// </summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _clips = new();

    [Fact]
    public async Task Sigterm_WhileAnUploadArrives_TheJobItCreatesStaysPendingWithNoAttempt()
    {
        using var app = await AppProcess.StartAsync(_data.Path);
        using var upload = new HeldUpload(TestClips.MovingSquare(_clips.Path));
        using var client = app.CreateClient();
        var submit = client.PostAsync("/v1/video/submit", upload.Content);
        await upload.HalfSent;

        app.Terminate();
        await Poll.UntilAsync(() => Task.FromResult(app.Output), o => o.Contains("Application is shutting down", StringComparison.Ordinal), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), o => $"The app never began to stop:\n{o}");
        upload.Release();
        using var response = await submit;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Submit answered {(int)response.StatusCode}: {body}\n{app.Output}");
        var job = JsonDocument.Parse(body).RootElement.GetProperty("job_id").GetGuid();

        Assert.Equal(0, await app.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain($"Job {job} started", app.Output, StringComparison.Ordinal);
        Assert.Equal(("pending", 0L), await ReadStatusAsync(job));
    }

    [Fact]
    public async Task Sigterm_WhenTheShutdownTimeRunsOutOnAnUpload_ExitsWithoutAnUnhandledException()
    {
        using var app = await AppProcess.StartAsync(_data.Path, new Dictionary<string, string> { ["DOTNET_shutdownTimeoutSeconds"] = "3" });
        using var upload = new HeldUpload(TestClips.MovingSquare(_clips.Path));
        using var client = app.CreateClient();
        var submit = client.PostAsync("/v1/video/submit", upload.Content);
        await upload.HalfSent;

        app.Terminate();
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));
        upload.Release();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => submit);

        Assert.True(exitCode == 0, $"The app exited with {exitCode}:\n{app.Output}");
        Assert.DoesNotContain("Unhandled exception", app.Output, StringComparison.Ordinal);
    }

    private async Task<(string? Status, long Attempts)> ReadStatusAsync(Guid job)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data.Path, "videotracker.db")};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT status, attempts FROM jobs WHERE job_id = $id";
        command.Parameters.AddWithValue("$id", job.ToString().ToUpperInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No row for job {job}");
        return (reader.GetString(0), reader.GetInt64(1));
    }

    public void Dispose()
    {
        _data.Dispose();
        _clips.Dispose();
    }

    /// <summary>A submit form whose body stops after its first half until <see cref="Release"/>.</summary>
    private sealed class HeldUpload : IDisposable
    {
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldUpload(string clip)
        {
            using var form = ApiClient.SubmitForm(clip);
            var bytes = form.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            Content = new StreamContent(new HeldStream(bytes, this));
            Content.Headers.ContentType = form.Headers.ContentType;
            Content.Headers.ContentLength = bytes.Length;
        }

        public HttpContent Content { get; }

        public Task HalfSent => _halfSent.Task;

        public void Release() => _released.TrySetResult();

        public void Dispose() => Content.Dispose();

        private sealed class HeldStream(byte[] bytes, HeldUpload upload) : MemoryStream(bytes, writable: false)
        {
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                var half = Length / 2;
                if (Position >= half)
                {
                    upload._halfSent.TrySetResult();
                    await upload._released.Task.WaitAsync(cancellationToken);
                    return await base.ReadAsync(buffer, cancellationToken);
                }

                return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, half - Position)], cancellationToken);
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }
    }
}
