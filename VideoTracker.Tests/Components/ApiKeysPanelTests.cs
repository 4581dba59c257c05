using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Pages.Account;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>The account page's API keys against the app's real key store and audit trail, as a signed-in member.</summary>
public sealed class ApiKeysPanelTests : MudComponentTest, IClassFixture<VideoTrackerAppFactory>
{
    private readonly VideoTrackerAppFactory _factory;
    private readonly SignedInUser _user;

    public ApiKeysPanelTests(VideoTrackerAppFactory factory)
    {
        _factory = factory;
        _user = SignedInUser.Member(factory.Services);
        Services.AddSingleton(factory.Services.GetRequiredService<ApiKeyService>());
        Services.AddSingleton(factory.Services.GetRequiredService<SessionValidator>());
        Services.AddSingleton<AuthenticationStateProvider>(_user);
        Services.AddSingleton<IHttpContextAccessor>(new HttpContextAccessor());
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private ApiKeyStore Store => _factory.Services.GetRequiredService<ApiKeyStore>();

    /// <summary>A key of the member's, made in the store, and the panel that lists it.</summary>
    private async Task<(ApiKeyInfo Key, IRenderedComponent<ApiKeysPanel> Panel)> RenderWithKeyAsync(string name)
    {
        var userId = (await _user.PrincipalAsync()).UserId()!;
        var key = (await Store.CreateAsync(userId, name, CancellationToken.None)).Info;
        var cut = Render<ApiKeysPanel>();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=key-row]"), r => r.TextContent.Contains(name, StringComparison.Ordinal)));
        return (key, cut);
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<ApiKeysPanel> cut, string name) =>
        cut.FindAll("[data-testid=key-row]").Single(r => r.QuerySelector("td")!.TextContent == name);

    /// <summary>Clicks the key's Revoke, then the dialog's button named <paramref name="answer"/>; returns the dialog's text.</summary>
    private static Task<string> RevokeAndAnswerAsync(IRenderedComponent<ApiKeysPanel> cut, string name, string answer) =>
        ClickAndAnswerAsync(cut, Row(cut, name).QuerySelector("button[data-testid=key-revoke]")!, answer);

    [Fact]
    public async Task Revoke_WhenTheDialogIsDeclined_KeepsTheKey()
    {
        var (key, cut) = await RenderWithKeyAsync("laptop");

        var asked = await RevokeAndAnswerAsync(cut, "laptop", "Keep");

        Assert.Contains("Revoke this key?", asked, StringComparison.Ordinal);
        Assert.Contains("“laptop” (vt_" + key.Prefix, asked, StringComparison.Ordinal);
        Assert.Null((await Store.FindAsync(key.Id, CancellationToken.None))!.RevokedAt);
        Assert.Single(Row(cut, "laptop").QuerySelectorAll("button[data-testid=key-revoke]"));
    }

    [Fact]
    public async Task Revoke_WhenConfirmed_RevokesTheKeyAndRecordsIt()
    {
        var (key, cut) = await RenderWithKeyAsync("build server");

        await RevokeAndAnswerAsync(cut, "build server", "Revoke");

        Assert.NotNull((await Store.FindAsync(key.Id, CancellationToken.None))!.RevokedAt);
        cut.WaitForAssertion(() => Assert.Equal("revoked", Row(cut, "build server").QuerySelector("[data-testid=key-revoked]")?.TextContent));
        Assert.Equal("“build server” is revoked.", cut.Find("[data-testid=key-message]").TextContent.Trim());
        var (entries, _) = await _factory.Services.GetRequiredService<AuditLog>().ListAsync(new AuditFilter(SignedInUser.MemberName, AuditActions.KeyRevoked), 10, 0, CancellationToken.None);
        Assert.Contains(entries, e => e.Detail == $"build server ({key.Prefix})");
    }

    [Fact]
    public async Task Create_ShowsTheNewKeyOnceWithACopyButtonThatPutsItOnTheClipboard()
    {
        var cut = Render<ApiKeysPanel>();

        cut.Find("input[data-testid=key-name]").Change("ci runner");
        await cut.Find("form[data-testid=key-form]").SubmitAsync();

        var key = cut.WaitForElement("[data-testid=new-key]").TextContent;
        Assert.StartsWith(ApiKeyStore.KeyStart, key, StringComparison.Ordinal);
        Assert.Equal(SignedInUser.MemberName, (await Store.AuthenticateAsync(key, CancellationToken.None))?.UserName);
        Assert.Contains(cut.FindAll("[data-testid=key-row]"), r => r.TextContent.Contains("ci runner", StringComparison.Ordinal));

        var copy = cut.Find("button[aria-label='Copy key']");
        await copy.ClickAsync(new());

        var call = Assert.Single(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(key, call.Arguments.Single());
        cut.WaitForAssertion(() => Assert.Contains("Copied", cut.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
    }
}
