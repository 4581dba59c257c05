using Microsoft.AspNetCore.Components;
using MudBlazor;
using VideoTracker.App.Accounts;

namespace VideoTracker.App.Components.Pages.Account;

/// <summary>The signed-in user's own password and sessions; the API keys are <see cref="ApiKeysPanel"/>.</summary>
public sealed partial class AccountPage
{
    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "password", Name = "Password")] private PasswordForm? PasswordInput { get; set; }

    [SupplyParameterFromQuery(Name = "message")] private string? QueryMessage { get; set; }

    private PasswordForm Password => PasswordInput ??= new();

    private IReadOnlyList<SessionInfo> _sessions = [];
    private string? _message;
    private Severity _severity = Severity.Info;

    protected override async Task OnInitializedAsync()
    {
        _message = QueryMessage switch
        {
            "session-ended" => "The session is signed out.",
            "session-not-found" => "No such session.",
            "other-sessions-ended" => "Your other sessions are signed out.",
            _ => null,
        };
        await LoadSessionsAsync();
    }

    private async Task ChangePasswordAsync()
    {
        var result = await Accounts.ChangeOwnPasswordAsync(HttpContext.User, Password.Current, Password.Next, HttpContext.ClientAddress(), HttpContext.RequestAborted);
        (_severity, _message) = result switch
        {
            AccountResult.Done => (Severity.Success, "Your password is changed."),
            AccountResult.Invalid i => (Severity.Error, i.Detail),
            AccountResult.NotFound n => (Severity.Error, n.Detail),
            _ => (Severity.Error, "The password was not changed."),
        };
        await LoadSessionsAsync();   // a new password ends the other sessions
    }

    private async Task LoadSessionsAsync() => _sessions = await Sessions.ListAsync(HttpContext.User, HttpContext.RequestAborted);

    private sealed class PasswordForm
    {
        public string? Current { get; set; }

        public string? Next { get; set; }
    }
}
