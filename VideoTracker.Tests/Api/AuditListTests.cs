using System.Net.Http.Json;
using System.Reflection;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Api;

/// <summary>The app with a known audit trail: three failed sign-ins and one sign-in of ann, one failed sign-in of ben.</summary>
public sealed class AuditTrailAppFactory : VideoTrackerAppFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var admin = CreateClient();
        using var created = await admin.PostAsJsonAsync("/v1/users", new { username = "ann", password = "anns-password-1", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var anonymous = CreateAnonymousClient();
        foreach (var (name, password) in new[] { ("ann", "wrong-password-1"), ("ann", "wrong-password-2"), ("ben", "wrong-password-3"), ("ann", "wrong-password-4"), ("ann", "anns-password-1") })
        {
            using var _ = await anonymous.PostAsJsonAsync("/v1/auth/login", new { username = name, password });
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary><c>GET /v1/audit</c>: paged by <c>limit</c> and <c>offset</c>, filtered by <c>user</c> and <c>action</c>.</summary>
public sealed class AuditListTests(AuditTrailAppFactory factory) : IClassFixture<AuditTrailAppFactory>
{
    private readonly HttpClient _admin = factory.CreateClient();

    [Fact]
    public async Task Audit_FilteredByUserAndAction_ListsOnlyThoseAndCountsOnlyThose()
    {
        var ann = await _admin.GetJsonAsync("/v1/audit?user=ann");
        Assert.Equal(4, ann.GetProperty("count").GetInt32());
        Assert.All(ann.GetProperty("entries").EnumerateArray(), e => Assert.Equal("ann", e.GetProperty("username").GetString()));

        var failed = await _admin.GetJsonAsync("/v1/audit?user=ann&action=sign_in_failed");
        Assert.Equal(3, failed.GetProperty("count").GetInt32());
        Assert.All(failed.GetProperty("entries").EnumerateArray(), e => Assert.Equal(("ann", "sign_in_failed"), (e.GetProperty("username").GetString(), e.GetProperty("action").GetString())));

        var everyonesFailures = await _admin.GetJsonAsync("/v1/audit?action=sign_in_failed");
        Assert.Equal(["ann", "ben"], everyonesFailures.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("username").GetString()).Distinct().Order());
    }

    [Fact]
    public async Task Audit_FilteredAndPaged_PagesThroughTheFilteredEntriesNewestFirst()
    {
        var first = await _admin.GetJsonAsync("/v1/audit?user=ann&action=sign_in_failed&limit=2&offset=0");
        var second = await _admin.GetJsonAsync("/v1/audit?user=ann&action=sign_in_failed&limit=2&offset=2");

        var ids = first.GetProperty("entries").EnumerateArray().Concat(second.GetProperty("entries").EnumerateArray()).Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(3, second.GetProperty("count").GetInt32());
    }

    [Fact]
    public void AuditActions_All_ListsEveryActionTheTrailRecords()
    {
        var declared = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

        Assert.Equal(declared, AuditActions.All.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("action=nope", "action must be one of sign_in, sign_in_failed, sign_out, session_ended, other_sessions_ended, user_session_ended, job_submitted")]
    [InlineData("action=SIGN_IN", "'SIGN_IN' is not.")]
    [InlineData("user=__LONG__", "user must be at most 256 characters.")]
    public async Task Audit_WithABadFilter_Is400WithADetail(string query, string expected)
    {
        var (status, problem) = await _admin.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/audit?" + query.Replace("__LONG__", new string('x', 257), StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
    }
}
