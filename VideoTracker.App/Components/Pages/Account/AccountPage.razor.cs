using Microsoft.AspNetCore.Components;
using MudBlazor;
using VideoTracker.App.Accounts;

namespace VideoTracker.App.Components.Pages.Account;

/// <summary>The signed-in user's own password, API keys and sessions.</summary>
public sealed partial class AccountPage
{
    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "password", Name = "Password")] private PasswordForm? PasswordInput { get; set; }

    [SupplyParameterFromForm(FormName = "key", Name = "NewKey")] private KeyForm? KeyInput { get; set; }

    [SupplyParameterFromQuery(Name = "message")] private string? QueryMessage { get; set; }

    private PasswordForm Password => PasswordInput ??= new();

    private KeyForm NewKey => KeyInput ??= new();

    private IReadOnlyList<ApiKeyInfo> _keys = [];
    private IReadOnlyList<SessionInfo> _sessions = [];
    private string? _message;
    private string? _newKey;
    private Severity _severity = Severity.Info;

    protected override async Task OnInitializedAsync()
    {
        _message = QueryMessage switch
        {
            "key-revoked" => "The key is revoked.",
            "key-not-found" => "No such key.",
            "session-ended" => "The session is signed out.",
            "session-not-found" => "No such session.",
            "other-sessions-ended" => "Your other sessions are signed out.",
            _ => null,
        };
        await LoadKeysAsync();
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

    private async Task CreateKeyAsync()
    {
        if (HttpContext.User.UserId() is not { } userId || string.IsNullOrWhiteSpace(NewKey.Name))
        {
            (_severity, _message) = (Severity.Error, "Only a signed-in user can own keys; give the key a name.");
            return;
        }

        var created = await Keys.CreateAsync(userId, NewKey.Name.Trim(), HttpContext.RequestAborted);
        await Audit.RecordAsync(AuditActions.KeyCreated, HttpContext.User.UserName(), HttpContext.ClientAddress(), detail: $"{created.Info.Name} ({created.Info.Prefix})", cancellationToken: HttpContext.RequestAborted);
        _newKey = created.Key;
        await LoadKeysAsync();
    }

    private async Task LoadKeysAsync() =>
        _keys = HttpContext.User.UserId() is { } userId ? await Keys.ListAsync(userId, HttpContext.RequestAborted) : [];

    private async Task LoadSessionsAsync() => _sessions = await Sessions.ListAsync(HttpContext.User, HttpContext.RequestAborted);

    private sealed class PasswordForm
    {
        public string? Current { get; set; }

        public string? Next { get; set; }
    }

    private sealed class KeyForm
    {
        public string? Name { get; set; }
    }
}
