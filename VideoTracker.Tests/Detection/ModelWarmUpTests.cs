using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Detection;

/// <summary>
/// The model's warm-up waits for the whole host to start: a start refused by a later service (the data folder
/// held by another process) must not be inside ONNX Runtime's native set-up when the process exits.
/// </summary>
public sealed class ModelWarmUpTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestLifetime _lifetime = new();

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Warmup_LoadsTheModelOnlyOnceTheHostHasStarted()
    {
        using var sessions = Sessions();
        using var service = Service(sessions);

        await service.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var beforeStarted = sessions.Count;
        _lifetime.Start();
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, beforeStarted);
        Assert.Equal(1, sessions.Count);
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Warmup_HostStopsBeforeItStarted_EndsWithoutLoading()
    {
        using var sessions = Sessions();
        using var service = Service(sessions);

        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask!.IsCompleted);
        Assert.Equal(0, sessions.Count);
    }

    private static DetectorSessions Sessions() =>
        new(Options.Create(new DetectionOptions()), NullLogger<DetectorSessions>.Instance);

    private ModelDownloadService Service(DetectorSessions sessions)
    {
        var options = Options.Create(new DetectionOptions { ModelPath = TestClips.ModelPath, ModelUrl = string.Empty });
        var model = new DetectionModel(options, new DataPaths(_temp.Path), NullLogger<DetectionModel>.Instance);
        return new ModelDownloadService(_lifetime, model, sessions, new DeviceCatalog(["cpu"]), new NoHttp(), options, NullLogger<ModelDownloadService>.Instance);
    }

    public void Dispose()
    {
        _lifetime.Dispose();
        _temp.Dispose();
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("The model is on disk; nothing is downloaded.");
    }
}
