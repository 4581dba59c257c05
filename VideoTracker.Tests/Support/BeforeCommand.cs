using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Support;

/// <summary>
/// Runs a step of the test just before the first database command whose text <see cref="Arm"/>'s condition accepts,
/// once: how a test puts another actor's write between a read and the conditional write that follows it, in a fixed
/// order rather than by timing. Added to the app's contexts (SQLite or PostgreSQL) by <see cref="AddTo"/>.
/// </summary>
public sealed class BeforeCommand : DbCommandInterceptor
{
    private Armed? _armed;

    public static BeforeCommand AddTo(IServiceCollection services)
    {
        var interceptor = new BeforeCommand();
        services.ConfigureDbContext<SqliteVideoTrackerDbContext>(options => options.AddInterceptors(interceptor));
        services.ConfigureDbContext<PostgresVideoTrackerDbContext>(options => options.AddInterceptors(interceptor));
        return interceptor;
    }

    /// <summary>
    /// The next command whose text <paramref name="when"/> accepts waits for <paramref name="step"/> first. The text is
    /// given without identifier quotes, which SQLite's commands have and PostgreSQL's do not: <c>UPDATE jobs</c> on both.
    /// </summary>
    public void Arm(Func<string, bool> when, Func<Task> step) => _armed = new Armed(when, step);

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await RunIfArmedAsync(command).ConfigureAwait(false);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await RunIfArmedAsync(command).ConfigureAwait(false);
        return result;
    }

    private async Task RunIfArmedAsync(DbCommand command)
    {
        if (_armed is { } armed && armed.When(command.CommandText.Replace("\"", string.Empty, StringComparison.Ordinal)) && ReferenceEquals(Interlocked.CompareExchange(ref _armed, null, armed), armed))
        {
            await armed.Step().ConfigureAwait(false);
        }
    }

    private sealed record Armed(Func<string, bool> When, Func<Task> Step);
}
