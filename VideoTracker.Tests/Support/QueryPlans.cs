using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace VideoTracker.Tests.Support;

/// <summary>
/// What the database plans for a query of the app's own DbContext: EXPLAIN of the very SQL and parameters that EF Core
/// sends (<see cref="RelationalQueryableExtensions.CreateDbCommand"/>), so a test sees the plan the app gets.
/// </summary>
public static class QueryPlans
{
    /// <summary>SQLite's <c>EXPLAIN QUERY PLAN</c>: the detail line of each step.</summary>
    public static async Task<IReadOnlyList<string>> SqliteAsync(IQueryable query)
    {
        await using var command = await ExplainAsync(query, "EXPLAIN QUERY PLAN ");
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(reader.GetOrdinal("detail")));
        }

        Assert.NotEmpty(plan);
        return plan;
    }

    /// <summary>
    /// PostgreSQL's plan, every node depth first (<c>EXPLAIN (FORMAT JSON)</c>). With <paramref name="analyze"/> the
    /// query runs, and each node also tells the rows it returned and removed, per loop, and its loops.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> PostgresAsync(IQueryable query, bool analyze = false)
    {
        await using var command = await ExplainAsync(query, analyze ? "EXPLAIN (ANALYZE, FORMAT JSON) " : "EXPLAIN (FORMAT JSON) ");
        using var document = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        var nodes = new List<JsonElement>();
        AddNodes(document.RootElement[0].GetProperty("Plan").Clone(), nodes);
        return nodes;
    }

    /// <summary>The indexes that the plan reads, by name, once for each scan.</summary>
    public static IReadOnlyList<string> Indexes(IReadOnlyList<JsonElement> nodes) =>
        [.. nodes.Where(n => n.TryGetProperty("Index Name", out _)).Select(n => n.GetProperty("Index Name").GetString()!)];

    /// <summary>
    /// The rows of <paramref name="table"/> that an analysed plan's scans read: those each scan returned plus those its
    /// filter removed, times its loops.
    /// </summary>
    public static long RowsRead(IReadOnlyList<JsonElement> nodes, string table) => Scans(nodes, table).Sum(n =>
        (long)(n.GetProperty("Actual Rows").GetDouble() + (n.TryGetProperty("Rows Removed by Filter", out var removed) ? removed.GetDouble() : 0))
        * n.GetProperty("Actual Loops").GetInt64());

    private static IEnumerable<JsonElement> Scans(IReadOnlyList<JsonElement> nodes, string table) =>
        nodes.Where(n => n.GetProperty("Node Type").GetString()!.EndsWith("Scan", StringComparison.Ordinal)
            && n.TryGetProperty("Relation Name", out var relation) && relation.GetString() == table);

    private static void AddNodes(JsonElement node, List<JsonElement> nodes)
    {
        nodes.Add(node);
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                AddNodes(child, nodes);
            }
        }
    }

    private static async Task<DbCommand> ExplainAsync(IQueryable query, string explain)
    {
        var command = query.CreateDbCommand();
        if (command.Connection!.State != System.Data.ConnectionState.Open)
        {
            await command.Connection.OpenAsync();
        }

        command.CommandText = explain + command.CommandText;
        return command;
    }
}
