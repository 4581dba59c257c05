using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Shared;

namespace VideoTracker.App.Components.Pages.Account;

/// <summary>
/// The signed-in user's API keys, over the circuit: what it reads follows the page's user; what it changes acts as the
/// user is in the database at that moment (<see cref="ActingPanel"/>), by the rules of <c>/v1/keys</c>.
/// </summary>
public sealed partial class ApiKeysPanel
{
    private IReadOnlyList<ApiKeyInfo> _keys = [];
    private CreatedApiKey? _newKey;
    private string? _name;

    [Inject] private ApiKeyService Keys { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _keys = await Keys.ListAsync((await Authentication.GetAuthenticationStateAsync()).User, CancellationToken.None);

    private async Task CreateAsync()
    {
        await ActAsync(async user =>
        {
            switch (await Keys.CreateAsync(user, _name, ClientAddress, CancellationToken.None))
            {
                case KeyCreation.Created created:
                    _newKey = created.Key;
                    _name = null;
                    Say(Severity.Info, null);
                    break;
                case KeyCreation.Refused refused:
                    Say(Severity.Error, refused.Detail);
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
            var revoked = await Keys.RevokeAsync(user, key.Id, ClientAddress, CancellationToken.None);
            Say(revoked ? Severity.Success : Severity.Warning, revoked ? $"“{key.Name}” is revoked." : "No such key.");

            if (_newKey?.Info.Id == key.Id)
            {
                _newKey = null;
            }
        });
    }

    protected override async Task ReloadAsync(ClaimsPrincipal user) => _keys = await Keys.ListAsync(user, CancellationToken.None);

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
