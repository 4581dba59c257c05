using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// Debian's Chromium driven by Playwright. Playwright's own browser download does not work here, so the
/// system browser is used with flags that keep it from calling out to the internet.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--mute-audio",
    ];

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    /// <summary>Why the browser tests cannot run here; null when they can.</summary>
    public string? Unavailable { get; private set; }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Unavailable = $"Chromium is not installed at {ExecutablePath}. Install it with `apt-get install chromium` (scripts/test.sh does).";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Flags,
        });
    }

    /// <summary>
    /// The browser, or a clear failure. Outside CI a missing Chromium skips the tests before they start
    /// (<see cref="BrowserFactAttribute"/>); in CI (CI=true) they run and fail here.
    /// </summary>
    public IBrowser RequireBrowser() =>
        Browser ?? throw new InvalidOperationException($"End-to-end tests cannot run: {Unavailable}");

    public static string? SkipReason =>
        File.Exists(ExecutablePath) || InCi
            ? null
            : $"Chromium is not installed at {ExecutablePath} (apt-get install chromium; scripts/test.sh installs it). In CI (CI=true) this test fails instead of skipping.";

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A browser test: skipped with the reason when Chromium is missing, except in CI, where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (ChromiumFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
