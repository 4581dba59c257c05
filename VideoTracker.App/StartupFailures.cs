using VideoTracker.Core;

namespace VideoTracker.App;

internal static class StartupFailures
{
    /// <summary>
    /// Runs the app. A configuration it cannot work with (invalid options, an unreachable database, …) is
    /// written to stderr as one plain sentence and ends the process with exit code 1, never a half-working app.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } reason)
        {
            await Console.Error.WriteLineAsync($"VideoTracker cannot start: {reason}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string? Explain(Exception ex) => ex switch
    {
        StartupFailedException failed => failed.Message,
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        AggregateException many when many.InnerExceptions.Select(Explain).ToList() is var reasons && reasons.All(r => r is not null) =>
            string.Join(" ", reasons),
        _ => null,
    };
}
