using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Health;

/// <summary>Without ffmpeg the app works, says so once at start-up, and reports itself degraded (still 200) on every probe.</summary>
public sealed class FfmpegHealthTests : IDisposable
{
    private readonly VideoTrackerAppFactory _factory = new();
    private readonly ListLoggerProvider _log = new();

    [Fact]
    public async Task Ready_WithoutFfmpeg_IsDegradedAndTheStartUpLogWarnsOnce()
    {
        _factory.Settings["Detection:FfmpegPath"] = "/nonexistent/ffmpeg";
        _factory.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(_log);
        using var client = _factory.CreateAnonymousClient();

        for (var probe = 0; probe < 3; probe++)
        {
            using var response = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("degraded", ready.GetProperty("status").GetString());
            var ffmpeg = ready.GetProperty("checks").GetProperty("ffmpeg");
            Assert.Equal("degraded", ffmpeg.GetProperty("status").GetString());
            Assert.Equal("ffmpeg was not found at the path set in Detection:FfmpegPath. Annotated videos and browser previews are unavailable.", ffmpeg.GetProperty("description").GetString());
        }

        var warnings = _log.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("ffmpeg", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Warning VideoTracker.App.Health.FfmpegStartupWarning: ffmpeg was not found at the path set in Detection:FfmpegPath. Annotated videos and browser previews are unavailable."], warnings);
    }

    public void Dispose() => _factory.Dispose();
}
