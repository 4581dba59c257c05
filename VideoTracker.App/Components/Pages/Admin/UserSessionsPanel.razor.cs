using Microsoft.AspNetCore.Components;
using MudBlazor;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Shared;

namespace VideoTracker.App.Components.Pages.Admin;

/// <summary>
/// One user's sessions on the Users page, over the circuit, by the rules and with the audit trail of
/// <c>/v1/users/{username}/sessions</c>. It reads and changes as the admin is in the database at that moment
/// (<see cref="ActingPanel"/>), so an admin demoted since the page opened sees nothing and ends nothing.
/// The page prerenders the panel, then runs it live: the look is audited once, by the prerender (which has the
/// request's address), and the live render only reads again; so does the reload after ending a session.
/// </summary>
public sealed partial class UserSessionsPanel : IDisposable
{
    /// <summary>Persisted by the prerender, so the live render knows the look is already in the audit trail.</summary>
    internal const string LookRecordedKey = "user-sessions-look-recorded";

    private PersistingComponentStateSubscription? _persisting;

    /// <summary>The user whose look is already audited; the next listing of anyone else is a look of its own.</summary>
    private string? _recordedLookOf;

    /// <summary>True while <see cref="ReloadAsync"/> lists for a look, not to read again.</summary>
    private bool _look;
    /// <summary>The sessions, or null when there is no such user (or the page's user may not look).</summary>
    private IReadOnlyList<SessionInfo>? _sessions = [];

    [Parameter, EditorRequired] public string Username { get; set; } = string.Empty;

    [Inject] private AccountSessions Sessions { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private PersistentComponentState State { get; set; } = default!;

    protected override void OnInitialized()
    {
        if (!RendererInfo.IsInteractive)
        {
            _persisting = State.RegisterOnPersisting(() =>
            {
                State.PersistAsJson(LookRecordedKey, _recordedLookOf);
                return Task.CompletedTask;
            });
        }
        else if (State.TryTakeFromJson<string>(LookRecordedKey, out var recorded))
        {
            _recordedLookOf = recorded;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _look = !string.Equals(_recordedLookOf, Username, StringComparison.Ordinal);
        try
        {
            await ActAsync(_ => Task.CompletedTask);
        }
        finally
        {
            _look = false;
        }
    }

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
        _sessions = await Sessions.ListOfUserAsync(user, Username, ClientAddress, CancellationToken.None, audited: _look);
        if (_look)
        {
            _recordedLookOf = Username;
        }

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

    public void Dispose() => _persisting?.Dispose();
}
