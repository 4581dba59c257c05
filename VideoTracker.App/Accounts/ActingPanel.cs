using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace VideoTracker.App.Accounts;

/// <summary>
/// A part of a page that changes data over the circuit (the Account page's API keys, the Users page's sessions of a
/// user). What it changes acts as the page's user is in the database at that moment
/// (<see cref="SessionValidator.ActingUserAsync"/>), and a refusal (an ended session, a role that no longer allows it)
/// is said in <see cref="Message"/>, not thrown.
/// </summary>
public abstract class ActingPanel : ComponentBase
{
    [Inject] private SessionValidator Validator { get; set; } = default!;

    [Inject] private IHttpContextAccessor Http { get; set; } = default!;

    [Inject] protected AuthenticationStateProvider Authentication { get; set; } = default!;

    /// <summary>What the last action came to, or null.</summary>
    protected string? Message { get; private set; }

    protected Severity MessageSeverity { get; private set; } = Severity.Info;

    /// <summary>True while an action runs: its buttons are disabled.</summary>
    protected bool Busy { get; private set; }

    /// <summary>The caller's address, for the audit trail (none over a circuit, which has no request).</summary>
    protected string? ClientAddress => Http.HttpContext?.ClientAddress();

    protected void Say(Severity severity, string? message) => (MessageSeverity, Message) = (severity, message);

    /// <summary>Does <paramref name="action"/> as the user is now, then <see cref="ReloadAsync"/>; a refusal goes to <see cref="RefusedAsync"/>.</summary>
    protected async Task ActAsync(Func<ClaimsPrincipal, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Busy = true;
        try
        {
            var user = await Validator.ActingUserAsync(Authentication);
            await action(user);
            await ReloadAsync(user);
        }
        catch (UnauthorizedAccessException refused)
        {
            Say(Severity.Error, refused.Message);
            await RefusedAsync();
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>Reads again what the panel shows, after an action, as <paramref name="user"/>.</summary>
    protected abstract Task ReloadAsync(ClaimsPrincipal user);

    /// <summary>After a refusal, which <see cref="Message"/> already says: by default nothing more.</summary>
    protected virtual Task RefusedAsync() => Task.CompletedTask;
}
