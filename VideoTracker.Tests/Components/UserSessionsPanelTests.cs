using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Pages.Admin;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>The Users page's sessions of one user, against the app's real session store and audit trail, as a signed-in admin.</summary>
public sealed class UserSessionsPanelTests : MudComponentTest, IClassFixture<VideoTrackerAppFactory>
{
    private const string StolenAddress = "198.51.100.23";

    private const string AdminAddress = "203.0.113.9";

    private readonly VideoTrackerAppFactory _factory;

    private readonly HttpContextAccessor _http = new();

    private readonly BunitPersistentComponentState _state;

    /// <summary>The page's user, set by <see cref="RenderAsync"/> before the panel first asks for it.</summary>
    private SignedInUser? _viewer;

    public UserSessionsPanelTests(VideoTrackerAppFactory factory)
    {
        _factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<AccountSessions>());
        Services.AddSingleton(factory.Services.GetRequiredService<SessionValidator>());
        Services.AddSingleton<IHttpContextAccessor>(_http);
        Services.AddSingleton<AuthenticationStateProvider>(_ => _viewer!);
        _state = AddBunitPersistentComponentState();
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private SessionStore Store => _factory.Services.GetRequiredService<SessionStore>();

    /// <summary>
    /// A member with two sessions (their page's, and a second from <see cref="StolenAddress"/>), the secret of the second,
    /// and the panel of their sessions as the page's user (<paramref name="viewer"/>) sees it.
    /// </summary>
    private async Task<(SignedInUser Member, string StolenSecret, IRenderedComponent<UserSessionsPanel> Panel)> RenderAsync(SignedInUser viewer)
    {
        var member = new SignedInUser(_factory.Services, $"m{Guid.NewGuid():N}"[..12], AppRoles.Member);
        var userId = (await member.PrincipalAsync()).UserId()!;
        var stolen = await Store.CreateAsync(userId, StolenAddress, "Stolen/1.0", CancellationToken.None);
        _viewer = viewer;
        var cut = Render<UserSessionsPanel>(p => p.Add(c => c.Username, member.Name));
        return (member, stolen, cut);
    }

    private SignedInUser Admin() => new(_factory.Services, $"a{Guid.NewGuid():N}"[..12], AppRoles.Admin);

    /// <summary>The admin's <c>user_sessions_listed</c> entries, newest first.</summary>
    private async Task<IReadOnlyList<AuditEntry>> LooksOfAsync(SignedInUser admin) =>
        (await _factory.Services.GetRequiredService<AuditLog>()
            .ListAsync(new AuditFilter(admin.Name, AuditActions.UserSessionsListed), 10, 0, CancellationToken.None)).Entries;

    private static AngleSharp.Dom.IElement StolenRow(IRenderedComponent<UserSessionsPanel> cut) =>
        cut.FindAll("[data-testid=user-session-row]").Single(r => r.TextContent.Contains(StolenAddress, StringComparison.Ordinal));

    /// <summary>Clicks the stolen session's Sign out, then the dialog's button named <paramref name="answer"/>; returns the dialog's text.</summary>
    private static Task<string> SignOutAndAnswerAsync(IRenderedComponent<UserSessionsPanel> cut, string answer)
    {
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=user-session-row]").Count));
        return ClickAndAnswerAsync(cut, StolenRow(cut).QuerySelector("button[data-testid=user-session-end]")!, answer);
    }

    [Fact]
    public async Task SignOut_WhenConfirmed_EndsThatSessionOnly_AndRecordsItAsTheAdmins()
    {
        var admin = Admin();
        var (member, stolen, cut) = await RenderAsync(admin);

        var asked = await SignOutAndAnswerAsync(cut, "Sign out");

        Assert.Contains("Sign out this session?", asked, StringComparison.Ordinal);
        Assert.Contains($"from {StolenAddress}", asked, StringComparison.Ordinal);
        var userId = (await member.PrincipalAsync()).UserId()!;
        Assert.Null(await Store.UserOfAsync(stolen, userId, CancellationToken.None));
        Assert.NotNull(await _factory.Services.GetRequiredService<SessionValidator>().CurrentAsync(await member.PrincipalAsync()));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=user-session-row]")));
        Assert.Equal($"{member.Name}'s session is signed out.", cut.Find("[data-testid=user-sessions-message]").TextContent.Trim());
        var (entries, _) = await _factory.Services.GetRequiredService<AuditLog>()
            .ListAsync(new AuditFilter(admin.Name, AuditActions.UserSessionEnded), 10, 0, CancellationToken.None);
        Assert.Contains(entries, e => e.Detail?.StartsWith($"{member.Name}: session ", StringComparison.Ordinal) == true);
        Assert.Single(await LooksOfAsync(admin));
    }

    [Fact]
    public async Task Look_PrerenderedThenLive_IsAuditedOnce_WithTheRequestsAddress()
    {
        var admin = Admin();
        _http.HttpContext = new DefaultHttpContext { Connection = { RemoteIpAddress = System.Net.IPAddress.Parse(AdminAddress) } };
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var (member, _, prerendered) = await RenderAsync(admin);
        prerendered.WaitForAssertion(() => Assert.Equal(2, prerendered.FindAll("[data-testid=user-session-row]").Count));
        _state.TriggerOnPersisting();
        await DisposeComponentsAsync();

        _http.HttpContext = null;
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var live = Render<UserSessionsPanel>(p => p.Add(c => c.Username, member.Name));
        live.WaitForAssertion(() => Assert.Equal(2, live.FindAll("[data-testid=user-session-row]").Count));

        var look = Assert.Single(await LooksOfAsync(admin));
        Assert.Equal((AdminAddress, $"{member.Name}: 2 listed"), (look.Address, look.Detail));
    }

    [Fact]
    public async Task SignOut_WhenTheDialogIsDeclined_KeepsTheSession_AndShowsNoSecret()
    {
        var (member, stolen, cut) = await RenderAsync(Admin());

        await SignOutAndAnswerAsync(cut, "Keep");

        Assert.NotNull(await Store.UserOfAsync(stolen, (await member.PrincipalAsync()).UserId()!, CancellationToken.None));
        Assert.Equal(2, cut.FindAll("[data-testid=user-session-row]").Count);
        Assert.DoesNotContain(stolen, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(Secrets.HashOf(stolen), cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Panel_ForAUserWhoIsNoAdmin_ListsNothingAndSaysSo()
    {
        var (_, _, cut) = await RenderAsync(new SignedInUser(_factory.Services, $"v{Guid.NewGuid():N}"[..12], AppRoles.Member));

        cut.WaitForAssertion(() => Assert.Equal(ApiProblems.ForbiddenDetail, cut.Find("[data-testid=user-sessions-message]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=user-session-row]"));
        Assert.DoesNotContain(StolenAddress, cut.Markup, StringComparison.Ordinal);
    }
}
