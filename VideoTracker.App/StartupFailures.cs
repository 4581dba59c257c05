using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using VideoTracker.Core;

namespace VideoTracker.App;

internal static partial class StartupFailures
{
    /// <summary>The generic host's own category: it logs a start-up failure as a stack trace before the app can explain it.</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>The console lifetime's category: it says "Application is shutting down..." on any stop, even one of an app that never started.</summary>
    private const string LifetimeCategory = "Microsoft.Hosting.Lifetime";

    /// <summary>The category under which an explained failure's exception is logged, at Debug.</summary>
    private const string Category = "VideoTracker.App.StartupFailures";

    /// <summary>
    /// Leaves the explaining to <see cref="RunOrExplainAsync"/>: the host's "Hosting failed to start" (an Error with the
    /// exception's 30-line stack) is not logged. Its Critical entries, such as a background service that stopped the
    /// host, still are; a failure nothing explains still ends the process with the runtime's own report. A setting read
    /// while the services are registered, before the app runs, is explained the same way. Once the app has started,
    /// the host logs as usual again, so errors while stopping are not lost. The stop after a refused start does not say
    /// "Application is shutting down...": the app never ran, and the sentence says why.
    /// </summary>
    public static WebApplicationBuilder ExplainStartupFailures(this WebApplicationBuilder builder)
    {
        var start = new StartOutcome();
        builder.Services.AddSingleton(start);
        builder.Services.AddHostedService(services => new StartedListener(services.GetRequiredService<IHostApplicationLifetime>(), start));
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Critical || start.Started);
        builder.Logging.Hide(LifetimeCategory, _ => start.Refused);
        AppDomain.CurrentDomain.UnhandledException += ExplainBeforeRun;
        return builder;
    }

    /// <summary>
    /// Runs the app. A configuration it cannot work with (invalid options, a setting of the wrong type, a data folder
    /// it cannot write, an address in use, an unreachable database, …) is written to stderr as one plain sentence and
    /// ends the process with exit code 1, never a half-working app. The exception is logged at Debug under
    /// <c>VideoTracker.App.StartupFailures</c>.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        AppDomain.CurrentDomain.UnhandledException -= ExplainBeforeRun;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (Explain(ex) is { } reason)
            {
                app.Services.GetService<StartOutcome>()?.Refuse();
                await StopAfterFailedStartAsync(app).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"VideoTracker cannot start: {reason}").ConfigureAwait(false);
                Log.StartupFailed(logger, ex);
                return 1;
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
            return 0;
        }
    }

    /// <summary>
    /// Stops what a failed start had started, before the host is disposed. Disposed without a stop, the host took a
    /// background service that the thread pool had not yet run (its <c>ExecuteAsync</c> is queued since .NET 10) for
    /// one that crashed, and logged a Critical "A task was canceled." with its stack after the sentence (seen in CI
    /// on a loaded machine). Anything the stop itself throws is left to the Debug log: the sentence says what is wrong.
    /// </summary>
    private static async Task StopAfterFailedStartAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.StopAfterFailedStartFailed(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category), ex);
        }
    }

    /// <summary>
    /// Hides what <paramref name="hidden"/> says of <paramref name="category"/>, and keeps to the level configured for it
    /// (<c>Logging:LogLevel</c>): a rule with a filter of its own and no level would let its Debug lines through.
    /// </summary>
    private static void Hide(this ILoggingBuilder logging, string category, Func<LogLevel, bool> hidden) =>
        logging.Services.PostConfigure<LoggerFilterOptions>(options =>
        {
            var configured = options.Rules
                .Where(r => r.ProviderName is null && r.Filter is null
                    && (r.CategoryName is null || category.StartsWith(r.CategoryName, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(r => r.CategoryName?.Length ?? 0)
                .LastOrDefault()?.LogLevel ?? options.MinLevel;
            options.Rules.Add(new LoggerFilterRule(null, category, configured, (_, _, level) => !hidden(level)));
        });

    /// <summary>An explained failure of the builder's phase: the sentence and exit code 1, instead of the runtime's abort (134).</summary>
    private static void ExplainBeforeRun(object sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is Exception ex && Explain(ex) is { } reason)
        {
            Console.Error.WriteLine($"VideoTracker cannot start: {reason}");
            Environment.Exit(1);
        }
    }

    private static string? Explain(Exception ex) => ex switch
    {
        StartupFailedException failed => failed.Message,
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        IOException { InnerException: AddressInUseException } bind => AddressInUse(bind.Message),
        InvalidOperationException when UnconvertibleSetting().Match(ex.Message) is { Success: true } setting => WrongType(setting),
        AggregateException many when many.InnerExceptions.Select(Explain).ToList() is var reasons && reasons.All(r => r is not null) =>
            string.Join(" ", reasons),
        _ => null,
    };

    /// <summary>Kestrel's "Failed to bind to address http://…: address already in use.", as a sentence that says what to do.</summary>
    private static string AddressInUse(string message) => BindAddress().Match(message) is { Success: true } bind
        ? $"The address {bind.Groups["address"].Value} is already in use by another process: stop that process, or give this one another address with ASPNETCORE_URLS (or --urls)."
        : $"{message.TrimEnd('.')}: stop the process that uses it, or give this one another address with ASPNETCORE_URLS (or --urls).";

    /// <summary>The configuration binder's "Failed to convert configuration value 'abc' at 'Jobs:Workers' to type 'System.Int32'.", as a sentence.</summary>
    private static string WrongType(Match setting)
    {
        var path = setting.Groups["path"].Value;
        var expected = setting.Groups["type"].Value switch
        {
            "System.Int16" or "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a time span such as 00:00:30",
            var type => $"a valid {type[(type.LastIndexOf('.') + 1)..]}",
        };
        return $"The setting {path} is '{setting.Groups["value"].Value}', which is not {expected}: correct it in appsettings.json or in the environment ({path.Replace(":", "__", StringComparison.Ordinal)}).";
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'\.$", RegexOptions.Singleline)]
    private static partial Regex UnconvertibleSetting();

    [GeneratedRegex(@"address (?<address>\S+?): address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BindAddress();

    /// <summary>
    /// Whether the host has started (set once, from <see cref="StartedListener"/>), and whether its start was refused
    /// (set once, by <see cref="RunOrExplainAsync"/>, before it stops the host).
    /// </summary>
    private sealed class StartOutcome
    {
        private volatile bool _started;
        private volatile bool _refused;

        public bool Started => _started;

        public bool Refused => _refused;

        public void Start() => _started = true;

        public void Refuse() => _refused = true;
    }

    /// <summary>Marks <see cref="StartOutcome.Started"/> when the host fires ApplicationStarted.</summary>
    private sealed class StartedListener(IHostApplicationLifetime lifetime, StartOutcome start) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(start.Start);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Debug, "The start-up failure, in full")]
        public static partial void StartupFailed(ILogger logger, Exception exception);

        [LoggerMessage(9002, LogLevel.Debug, "Stopping after the failed start failed too")]
        public static partial void StopAfterFailedStartFailed(ILogger logger, Exception exception);
    }
}
