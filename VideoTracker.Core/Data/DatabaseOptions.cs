using System.ComponentModel.DataAnnotations;

namespace VideoTracker.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// <c>Database:Provider</c> picks the engine: <c>Sqlite</c> (the default, a file in the data folder) or
/// <c>Postgres</c>, which needs <c>ConnectionStrings:Postgres</c>. Checked at start-up by <see cref="DatabaseOptionsValidator"/>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>As configured; see <see cref="Kind"/> for the parsed value.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>From <c>ConnectionStrings:Postgres</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>How long start-up keeps trying to reach PostgreSQL before it gives up.</summary>
    [Range(0, 600)] public int ConnectRetrySeconds { get; set; } = 10;

    /// <summary>How long <c>/health/ready</c> waits for the database to answer before it reports it unhealthy.</summary>
    [Range(1, 60)] public int HealthTimeoutSeconds { get; set; } = 3;

    /// <summary>The parsed provider; an unknown name never gets this far (<see cref="DatabaseOptionsValidator"/> refuses it).</summary>
    public DatabaseProvider Kind => TryParseProvider(Provider, out var kind) ? kind : DatabaseProvider.Sqlite;

    internal static bool TryParseProvider(string? value, out DatabaseProvider kind) =>
        Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(value, out _);

    internal static string UnknownProvider(string? value) =>
        $"Database:Provider '{value}' is not supported. Use 'Sqlite' (the default, one process) or 'Postgres' (with ConnectionStrings:Postgres).";
}

/// <summary>Refuses an unknown provider, and PostgreSQL without a connection string, before anything starts.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!DatabaseOptions.TryParseProvider(options.Provider, out var kind))
        {
            return ValidateOptionsResult.Fail(DatabaseOptions.UnknownProvider(options.Provider));
        }

        if (kind == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Database:Provider is 'Postgres' but ConnectionStrings:Postgres is empty. Set it, for example " +
                "ConnectionStrings__Postgres='Host=db.example;Database=videotracker;Username=videotracker;Password=…'.");
        }

        return ValidateOptionsResult.Success;
    }
}
