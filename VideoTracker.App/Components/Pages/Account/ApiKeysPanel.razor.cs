using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Shared;

namespace VideoTracker.App.Components.Pages.Account;

/// <summary>
/// The signed-in user's API keys, over the circuit: what it reads follows the page's user; what it changes acts as the
/// user is in the database at that moment (<see cref="SessionValidator.ActingUserAsync"/>), by the rules of <c>/v1/keys</c>.
/// </summary>
public sealed partial class ApiKeysPanel
{
    private IReadOnlyList<ApiKeyInfo> _keys = [];
    private CreatedApiKey? _newKey;
    private string? _name;
    private string? _message;
    private Severity _severity = Severity.Info;
    private bool _busy;

    [Inject] private ApiKeyService Keys { get; set; } = default!;

    [Inject] private SessionValidator Sessions { get; set; } = default!;

    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject] private IHttpContextAccessor Http { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _keys = await Keys.ListAsync((await Authentication.GetAuthenticationStateAsync()).User, CancellationToken.None);

    private async Task CreateAsync()
    {
        await ActAsync(async user =>
        {
            switch (await Keys.CreateAsync(user, _name, Http.HttpContext?.ClientAddress(), CancellationToken.None))
            {
                case KeyCreation.Created created:
                    _newKey = created.Key;
                    _name = null;
                    (_severity, _message) = (Severity.Info, null);
                    break;
                case KeyCreation.Refused refused:
                    (_severity, _message) = (Severity.Error, refused.Detail);
                    break;
            }
        });
    }

    /// <summary>Revokes a key once the person confirms, naming it; cancelling leaves it as it is.</summary>
    private async Task RevokeAsync(ApiKeyInfo key)
    {
        var confirmed = await ConfirmDialog.AskAsync(
            Dialogs,
            "Revoke this key?",
            $"“{key.Name}” (vt_{key.Prefix}…) stops working at once, for every script that uses it. This cannot be undone.",
            yesText: "Revoke", keepText: "Keep");
        if (!confirmed)
        {
            return;
        }

        await ActAsync(async user =>
        {
            var revoked = await Keys.RevokeAsync(user, key.Id, Http.HttpContext?.ClientAddress(), CancellationToken.None);
            (_severity, _message) = revoked ? (Severity.Success, $"“{key.Name}” is revoked.") : (Severity.Warning, "No such key.");
            if (_newKey?.Info.Id == key.Id)
            {
                _newKey = null;
            }
        });
    }

    /// <summary>Does <paramref name="action"/> as the user is now, then lists the keys again; an ended session is said, not thrown.</summary>
    private async Task ActAsync(Func<ClaimsPrincipal, Task> action)
    {
        _busy = true;
        try
        {
            var user = await Sessions.ActingUserAsync(Authentication);
            await action(user);
            _keys = await Keys.ListAsync(user, CancellationToken.None);
        }
        catch (UnauthorizedAccessException ended)
        {
            (_severity, _message) = (Severity.Error, ended.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Puts the new key on the clipboard (navigator.clipboard, which needs HTTPS or localhost) and says so.</summary>
    private async Task CopyAsync()
    {
        if (_newKey is null)
        {
            return;
        }

        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", _newKey.Key);
            Snackbar.Add("Copied", Severity.Success);
        }
        catch (JSException)
        {
            Snackbar.Add("This browser did not allow copying here: select the key and copy it.", Severity.Warning);
        }
    }
}
