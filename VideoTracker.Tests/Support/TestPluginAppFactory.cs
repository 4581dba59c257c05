namespace VideoTracker.Tests.Support;

/// <summary>The real app plus <see cref="TestPlugin"/>, with one worker.</summary>
public class TestPluginAppFactory : VideoTrackerAppFactory
{
    public TestPluginAppFactory()
    {
        Settings["Jobs:Workers"] = "1";
        ConfigureServices = services => services.AddSingleton<IVideoPlugin>(Plugin);
    }

    public TestPlugin Plugin { get; } = new();

    /// <summary>
    /// Submits the clip to the gated tool, lets <paramref name="frames"/> frames through the gate and waits until
    /// the status reports that frame; the rest of the clip waits for the test to release it.
    /// </summary>
    public async Task<Guid> SubmitGatedToFrameAsync(HttpClient client, string clip, int frames)
    {
        var job = await client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        Plugin.Gated.Gate.Release(frames);
        await client.WaitForStatusAsync(job, s => s.GetProperty("current_frame").ValueKind == JsonValueKind.Number && s.GetProperty("current_frame").GetInt32() >= frames);
        return job;
    }
}
