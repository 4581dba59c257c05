using System.Net;
using VideoTracker.Core;

namespace VideoTracker.App.Accounts;

/// <summary>
/// With <c>Auth:Enabled=false</c>: warns, and refuses to start when the app would listen beyond loopback
/// (<c>urls</c>, <c>http_ports</c>/<c>https_ports</c> or a Kestrel endpoint) unless <c>Auth:AllowAnonymousNetwork</c>.
/// Runs before the server starts listening.
/// </summary>
public sealed partial class AuthOffGuard(IOptions<AuthOptions> options, IConfiguration configuration, ILogger<AuthOffGuard> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var auth = options.Value;
        if (auth.Enabled)
        {
            return Task.CompletedTask;
        }

        Log.AuthOff(logger);
        var open = ListenAddresses(configuration).Where(a => !IsLoopback(a)).ToList();
        if (open.Count > 0 && !auth.AllowAnonymousNetwork)
        {
            throw new StartupFailedException(
                $"Auth:Enabled=false on a non-loopback address ({string.Join(", ", open)}): anyone on the network could use the app. " +
                "Listen on 127.0.0.1, turn Auth:Enabled back on, or set Auth:AllowAnonymousNetwork=true.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every address the configuration asks Kestrel to listen on; none means the default http://localhost:5000.</summary>
    internal static IEnumerable<string> ListenAddresses(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var key in new[] { "http_ports", "https_ports" })
        {
            foreach (var port in (configuration[key] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return $"http://*:{port}";
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    internal static bool IsLoopback(string address)
    {
        var normalized = address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static partial class Log
    {
        [LoggerMessage(4003, LogLevel.Warning, "Authentication is OFF (Auth:Enabled=false): anyone who can reach this server can upload, cancel and delete jobs")]
        public static partial void AuthOff(ILogger logger);
    }
}
