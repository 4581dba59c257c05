using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using VideoTracker.App.Components.Pages.Admin;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>The admin's audit log page against the app's real audit trail: paging both ways, and a filter kept while paging.</summary>
public sealed class AuditPageTests : MudComponentTest, IClassFixture<VideoTrackerAppFactory>
{
    private const int PiasKeys = AuditPage.PageSize + 50;
    private readonly AuditLog _audit;

    public AuditPageTests(VideoTrackerAppFactory factory)
    {
        _audit = factory.Services.GetRequiredService<AuditLog>();
        Services.AddSingleton(_audit);
    }

    private async Task<IRenderedComponent<AuditPage>> OpenAsync(string query)
    {
        // 150 keys of pia's, with others' entries between them; once per factory.
        if ((await _audit.ListAsync(new AuditFilter("pia"), 1, 0, CancellationToken.None)).Count == 0)
        {
            for (var i = 0; i < PiasKeys; i++)
            {
                await _audit.RecordAsync(AuditActions.KeyCreated, "pia", "127.0.0.1", detail: $"key {i}");
                if (i % 10 == 0)
                {
                    await _audit.RecordAsync(AuditActions.KeyCreated, "quin", "127.0.0.1", detail: $"key {i}");
                    await _audit.RecordAsync(AuditActions.SignIn, "pia", "127.0.0.1");
                }
            }
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo("/admin/audit" + query);
        return Render<AuditPage>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext()));
    }

    private static List<(string Action, string User)> Rows(IRenderedComponent<AuditPage> cut) =>
        [.. cut.FindAll("[data-testid=audit-list] tbody tr").Select(r => (r.Children[1].TextContent, r.Children[2].TextContent))];

    [Fact]
    public async Task AuditPage_FilteredByUserAndEvent_ShowsOnlyThoseAndPagesOlderWithTheFilter()
    {
        var cut = await OpenAsync("?user=pia&action=key_created");

        Assert.Equal(AuditPage.PageSize, Rows(cut).Count);
        Assert.All(Rows(cut), r => Assert.Equal(("key_created", "pia"), r));
        Assert.Equal($"Entries 1–{AuditPage.PageSize} of {PiasKeys}, newest first.", cut.Find("[data-testid=audit-range]").TextContent.Trim());
        Assert.Equal($"admin/audit?offset={AuditPage.PageSize}&user=pia&action=key_created", cut.Find("[data-testid=audit-older]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=audit-newer]"));

        // The form shows the filter it applied.
        Assert.Equal("pia", cut.Find("input[data-testid=audit-user]").GetAttribute("value"));
        Assert.True(cut.Find("select[data-testid=audit-action] option[value=key_created]").HasAttribute("selected"));
    }

    [Fact]
    public async Task AuditPage_OnAnOlderPage_LinksBackToNewerWithTheFilter()
    {
        var cut = await OpenAsync($"?offset={AuditPage.PageSize}&user=pia&action=key_created");

        Assert.Equal(PiasKeys - AuditPage.PageSize, Rows(cut).Count);
        Assert.Equal($"Entries {AuditPage.PageSize + 1}–{PiasKeys} of {PiasKeys}, newest first.", cut.Find("[data-testid=audit-range]").TextContent.Trim());
        Assert.Equal("admin/audit?offset=0&user=pia&action=key_created", cut.Find("[data-testid=audit-newer]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=audit-older]"));
        Assert.Contains("key 0", cut.Find("[data-testid=audit-list] tbody tr:last-child").TextContent, StringComparison.Ordinal);   // the oldest last
    }

    [Fact]
    public async Task AuditPage_WithAnUnknownEvent_SaysWhatItTakes()
    {
        var cut = await OpenAsync("?action=coffee");

        Assert.StartsWith("action must be one of sign_in,", cut.Find("[data-testid=audit-error]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=audit-list]"));
    }
}
