using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>An open page checks its user against the database every minute, and turns anonymous once they are disabled or changed.</summary>
public sealed class RevalidatingAuthenticationStateProviderTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    /// <summary>Short enough for a test to wait out a few checks.</summary>
    private static readonly TimeSpan TestInterval = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task App_GivesEachCircuitTheRevalidatingProvider_CheckingEveryMinute()
    {
        await using var circuit = factory.Services.CreateAsyncScope();

        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        Assert.Equal(TimeSpan.FromMinutes(1), Assert.IsType<RevalidatingAuthenticationStateProvider>(provider).Interval);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("demote")]
    public async Task Revalidation_AfterTheUserIsChanged_MakesThePageAnonymous(string change)
    {
        var user = new SignedInUser(factory.Services, $"open-{change}", AppRoles.Member);
        using var provider = Connect(await user.PrincipalAsync());
        var changed = NextStateAsync(provider);

        using var admin = factory.CreateClient();
        object body = change == "disable" ? new { disabled = true } : new { role = AppRoles.Viewer };
        using (var patch = await admin.PatchAsJsonAsync($"/v1/users/{user.Name}", body))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var state = await await changed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(state.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task Revalidation_WhileTheUserIsUnchanged_KeepsThem()
    {
        var user = new SignedInUser(factory.Services, "open-unchanged", AppRoles.Member);
        using var provider = Connect(await user.PrincipalAsync());
        var changed = NextStateAsync(provider);

        await Task.Delay(TestInterval * 20);

        Assert.False(changed.IsCompleted);
        Assert.Equal(user.Name, (await provider.GetAuthenticationStateAsync()).User.UserName());
    }

    [Fact]
    public async Task Revalidation_FallingDueAfterTheAppHasShutDown_EndsQuietly_AndLeavesThePageAlone()
    {
        var log = new ListLogger<RevalidatingAuthenticationStateProvider>();
        var app = new VideoTrackerAppFactory();
        RevalidatingAuthenticationStateProvider provider;
        await using (app)
        {
            var user = new SignedInUser(app.Services, "open-shutdown", AppRoles.Member);
            provider = Connect(await user.PrincipalAsync(), app.Services, new OneLoggerFactory(log));
            await Task.Delay(TestInterval * 5);   // a few checks pass while the app runs
        }

        using (provider)
        {
            var changed = NextStateAsync(provider);

            await Task.Delay(TestInterval * 20);   // and more fall due once its services are disposed

            Assert.Empty(log.Messages);
            Assert.False(changed.IsCompleted, "The page was signed out because the app shut down.");
        }
    }

    /// <summary>
    /// The provider of a page that connected as <paramref name="principal"/> to <paramref name="app"/> (the class's own
    /// by default), checking every <see cref="TestInterval"/>.
    /// </summary>
    private RevalidatingAuthenticationStateProvider Connect(ClaimsPrincipal principal, IServiceProvider? app = null, ILoggerFactory? loggers = null)
    {
        app ??= factory.Services;
        var provider = new RevalidatingAuthenticationStateProvider(
            loggers ?? app.GetRequiredService<ILoggerFactory>(), app.GetRequiredService<SessionValidator>(), app.GetRequiredService<IHostApplicationLifetime>())
        {
            Interval = TestInterval,
        };
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return provider;
    }

    private static Task<Task<AuthenticationState>> NextStateAsync(AuthenticationStateProvider provider)
    {
        var next = new TaskCompletionSource<Task<AuthenticationState>>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += state => next.TrySetResult(state);
        return next.Task;
    }

    /// <summary>A logger factory whose every logger is <paramref name="logger"/>.</summary>
    private sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
