namespace VideoTracker.Core.Data;

/// <summary>
/// One piece of start-up work that needs the migrated database, such as creating the first admin.
/// Register with <c>services.AddScoped&lt;IStartupTask, MyTask&gt;()</c> (or as a singleton); the tasks run once,
/// in registration order, in one DI scope, after migrations and before the app serves requests or runs
/// jobs. On PostgreSQL they run inside the same advisory lock as the migrations, so nodes that start
/// together never race: the second node runs its tasks after the first has finished, and must find the
/// work done (write them to be idempotent). A task that throws stops the app with its message.
/// </summary>
public interface IStartupTask
{
    /// <summary>Shown in the log and in the start-up error.</summary>
    string Name { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
