using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using VideoTracker.App.Accounts;

namespace VideoTracker.App.Components.Services;

/// <summary>
/// The authentication state of a page's circuit, checked every <see cref="Interval"/> with
/// <see cref="SessionValidator"/> (the cookie's own check, against the database). Once the user is disabled,
/// removed or changed, the page's user becomes anonymous and the open page says so; the job service refuses
/// to act for them from the moment of the change, without waiting for this. A check that falls due while the app
/// shuts down (or the circuit goes) ends the checks quietly, without an error or a sign-out.
/// </summary>
public sealed class RevalidatingAuthenticationStateProvider(ILoggerFactory loggers, SessionValidator sessions, IHostApplicationLifetime lifetime)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    /// <summary>How often the open page checks; tests shorten it.</summary>
    internal TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            if (_stopping.IsCancellationRequested || cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException();
            }

            return await sessions.CurrentAsync(authenticationState.User).ConfigureAwait(false) is not null;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException
            && (_stopping.IsCancellationRequested || cancellationToken.IsCancellationRequested))
        {
            // The app's services (or the circuit) are going or gone. The base class ends its loop without a word only on a
            // TaskCanceledException of its own token; anything else it logs as an error and signs the page out.
            throw new TaskCanceledException("The app or the circuit has shut down.", ex, cancellationToken);
        }
    }
}
