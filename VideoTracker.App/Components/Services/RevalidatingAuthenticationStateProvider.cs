using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using VideoTracker.App.Accounts;

namespace VideoTracker.App.Components.Services;

/// <summary>
/// The authentication state of a page's circuit, checked every <see cref="Interval"/> with
/// <see cref="SessionValidator"/> (the cookie's own check, against the database). Once the user is disabled,
/// removed or changed, the page's user becomes anonymous and the open page says so; the job service refuses
/// to act for them from the moment of the change, without waiting for this.
/// </summary>
public sealed class RevalidatingAuthenticationStateProvider(ILoggerFactory loggers, SessionValidator sessions)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    /// <summary>How often the open page checks; tests shorten it.</summary>
    internal TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await sessions.CurrentAsync(authenticationState.User).ConfigureAwait(false) is not null;
}
