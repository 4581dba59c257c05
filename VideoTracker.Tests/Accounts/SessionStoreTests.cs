using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Accounts;

/// <summary>The session rows on the app's real database, on a clock the test moves: last seen, expiry and the sweep at sign-in.</summary>
public sealed class SessionStoreTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task UserOfAsync_WritesLastSeenAtMostEveryFiveMinutes()
    {
        var (store, userId) = await StoreForNewUserAsync("seen");
        var secret = await store.CreateAsync(userId, "10.0.0.1", "Agent", CancellationToken.None);
        var start = _time.GetUtcNow().UtcDateTime;

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(await store.UserOfAsync(secret, userId, CancellationToken.None));
        var early = await LastSeenAsync(userId);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.NotNull(await store.UserOfAsync(secret, userId, CancellationToken.None));
        var later = await LastSeenAsync(userId);

        Assert.Equal(start, early);
        Assert.Equal(start.AddMinutes(6), later);
        Assert.Null(await store.UserOfAsync(secret, "someone-else", CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_DeletesSessionsPastTheCookiesLifetime_AndListShowsOnlyLiveOnes()
    {
        var (store, userId) = await StoreForNewUserAsync("old");
        var stale = await store.CreateAsync(userId, null, null, CancellationToken.None);
        _time.Advance(SessionStore.Lifetime - TimeSpan.FromHours(1));
        var live = await store.CreateAsync(userId, null, null, CancellationToken.None);
        Assert.Equal(2, (await store.ListAsync(userId, live, CancellationToken.None)).Count);

        _time.Advance(TimeSpan.FromHours(2));
        var listed = await store.ListAsync(userId, live, CancellationToken.None);
        await store.CreateAsync(userId, null, null, CancellationToken.None);

        Assert.True(Assert.Single(listed).Current);
        Assert.Null(await store.UserOfAsync(stale, userId, CancellationToken.None));
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(2, await db.Sessions.CountAsync(s => s.UserId == userId));
    }

    private IDbContextFactory<VideoTrackerDbContext> Contexts => factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>();

    /// <summary>A store on the app's database with the test's clock, and a new user to own sessions.</summary>
    private async Task<(SessionStore Store, string UserId)> StoreForNewUserAsync(string name)
    {
        using var admin = factory.CreateClient();
        using (var created = await admin.PostAsJsonAsync("/v1/users", new { username = name, password = "session-store-password", role = AppRoles.Viewer }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(name);
        return (new SessionStore(Contexts, _time), user!.Id);
    }

    private async Task<DateTime> LastSeenAsync(string userId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Sessions.Where(s => s.UserId == userId).Select(s => s.LastSeenAt).SingleAsync();
    }
}
