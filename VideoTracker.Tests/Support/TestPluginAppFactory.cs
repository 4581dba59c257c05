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
}
