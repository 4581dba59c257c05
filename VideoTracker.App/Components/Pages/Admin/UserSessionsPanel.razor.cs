using Microsoft.AspNetCore.Components;
using MudBlazor;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Shared;

namespace VideoTracker.App.Components.Pages.Admin;

/// <summary>
/// One user's sessions on the Users page, over the circuit, by the rules and with the audit trail of
/// <c>/v1/users/{username}/sessions</c>. It reads and changes as the admin is in the database at that moment
/// (<see cref="ActingPanel"/>), so an admin demoted since the page opened sees nothing and ends nothing.
/// </summary>
public sealed partial class UserSessionsPanel
{
    /// <summary>The sessions, or null when there is no such user (or the page's user may not look).</summary>
    private IReadOnlyList<SessionInfo>? _sessions = [];

    [Parameter, EditorRequired] public string Username { get; set; } = string.Empty;

    [Inject] private AccountSessions Sessions { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    protected override Task OnParametersSetAsync() => ActAsync(_ => Task.CompletedTask);

    /// <summary>Signs the session out once the admin confirms; cancelling leaves it as it is.</summary>
    private async Task EndAsync(SessionInfo session)
    {
        var confirmed = await ConfirmDialog.AskAsync(
            Dialogs,
            "Sign out this session?",
            $"{Username}'s session signed in at {DisplayFormat.Utc(session.CreatedAt)} from {session.Address ?? "an unknown address"} ends at once, "
                + "for every copy of its cookie.",
            yesText: "Sign out", keepText: "Keep");
        if (!confirmed)
        {
            return;
        }

        await ActAsync(async admin =>
        {
            var ended = await Sessions.EndOfUserAsync(admin, Username, session.Id, ClientAddress, CancellationToken.None);
            Say(ended is SessionEnd.Other or SessionEnd.ThisOne ? Severity.Success : Severity.Warning,
                ended is SessionEnd.Other or SessionEnd.ThisOne ? $"{Username}'s session is signed out." : "That session had already ended.");
        });
    }

    protected override async Task ReloadAsync(ClaimsPrincipal user)
    {
        _sessions = await Sessions.ListOfUserAsync(user, Username, ClientAddress, CancellationToken.None);
        if (_sessions is null)
        {
            Say(Severity.Error, $"No user named '{Username}'.");
        }
    }

    protected override Task RefusedAsync()
    {
        _sessions = null;
        return Task.CompletedTask;
    }
}
