namespace VideoTracker.Core.Data;

/// <summary>Hands out the configured provider's pooled context as the shared <see cref="VideoTrackerDbContext"/> type.</summary>
internal sealed class ProviderDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<VideoTrackerDbContext>
    where TContext : VideoTrackerDbContext
{
    public VideoTrackerDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<VideoTrackerDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
}
