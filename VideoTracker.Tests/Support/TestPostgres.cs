using Npgsql;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A fact that needs the throwaway PostgreSQL server that <c>scripts/test.sh</c> starts (its connection string is
/// in <c>VT_TEST_POSTGRES</c>). It skips with the reason where that is absent, except in CI (<c>CI=true</c>):
/// there it runs and fails loudly, so CI never skips it.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = TestPostgres.SkipReason(Environment.GetEnvironmentVariable(TestPostgres.Variable), Environment.GetEnvironmentVariable("CI"));
    }
}

/// <summary>A fresh database on the test server, named for one test and dropped (with its connections) on dispose.</summary>
public sealed class TestPostgres : IAsyncDisposable, IDisposable
{
    public const string Variable = "VT_TEST_POSTGRES";

    private readonly string _server;
    private bool _dropped;

    private TestPostgres(string server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>For the app: <c>ConnectionStrings:Postgres</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>Settings that put an app on this database.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Postgres"] = ConnectionString,
    };

    public static string? SkipReason(string? connectionString, string? ciVariable)
    {
        var inCi = string.Equals(ciVariable, "true", StringComparison.OrdinalIgnoreCase);
        return !string.IsNullOrWhiteSpace(connectionString) || inCi
            ? null
            : $"Needs a PostgreSQL server in {Variable} (scripts/test.sh starts a throwaway one; CI has it).";
    }

    public static async Task<TestPostgres> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException($"{Variable} is not set: run the tests through scripts/test.sh, which starts PostgreSQL.");
        }

        var name = $"vt_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestPostgres(server, name, connectionString);
    }

    /// <summary>The same as <see cref="CreateAsync"/>, for a factory that must decide while the host is built.</summary>
    public static TestPostgres Create()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException($"{Variable} is not set: run the tests through scripts/test.sh, which starts PostgreSQL.");
        }

        var name = $"vt_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        return new TestPostgres(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dropped)
        {
            return;
        }

        _dropped = true;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
