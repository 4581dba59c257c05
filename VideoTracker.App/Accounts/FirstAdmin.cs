using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using VideoTracker.App.Hosting;
using VideoTracker.Core.Data;

namespace VideoTracker.App.Accounts;

/// <summary>
/// The one-time code of <c>/setup</c>: made at start when no user exists, printed to the log as a link,
/// and spent by the first admin's creation. After that <c>/setup</c> answers 404.
/// </summary>
public sealed class SetupCode
{
    private string? _code;

    public bool IsOpen => Volatile.Read(ref _code) is not null;

    /// <summary>The open code, or null once it is spent (for the tests, which cannot read the log).</summary>
    internal string? Current => Volatile.Read(ref _code);

    public string Open() => _code ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public bool Matches(string? presented) =>
        Volatile.Read(ref _code) is { } code && presented is not null
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(code), System.Text.Encoding.UTF8.GetBytes(presented));

    /// <summary>Spends the code; true for the one caller that did.</summary>
    public bool TrySpend(string? presented) => Matches(presented) && Interlocked.Exchange(ref _code, null) is not null;
}

/// <summary>
/// A start-up task (after migrations; on PostgreSQL inside the migrations' advisory lock, so nodes never race):
/// the roles exist; when there is no user yet, <c>Auth:InitialAdmin</c> becomes the first admin, or a one-time
/// setup link is printed once the server listens.
/// </summary>
public sealed partial class FirstAdmin(
    AccountService accounts,
    SetupCode setup,
    IOptions<AuthOptions> options,
    IOptions<ServerOptions> serverOptions,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<FirstAdmin> logger) : IStartupTask
{
    public string Name => "first admin";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await accounts.EnsureRolesAsync().ConfigureAwait(false);
        if (await accounts.AnyUserAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (options.Value.InitialAdmin is { Username: { Length: > 0 } name, Password: { Length: > 0 } password })
        {
            var result = await accounts.CreateAsync(name, password, AppRoles.Admin, null, null, cancellationToken).ConfigureAwait(false);
            if (result is AccountResult.Invalid invalid)
            {
                throw new InvalidOperationException($"Auth:InitialAdmin could not be created: {invalid.Detail}");
            }

            Log.InitialAdminCreated(logger, name);
            return;
        }

        var code = setup.Open();
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            address = address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal);
            Log.SetupLink(logger, $"{address.TrimEnd('/')}{serverOptions.Value.PathBase}/setup?code={code}");   // as a proxy's sub-path has it
        });
    }

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Warning, "No user exists yet. Create the first admin: open {Link}")]
        public static partial void SetupLink(ILogger logger, string link);

        [LoggerMessage(4002, LogLevel.Information, "Created the first admin '{Username}' from Auth:InitialAdmin")]
        public static partial void InitialAdminCreated(ILogger logger, string username);
    }
}
