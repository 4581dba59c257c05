using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace VideoTracker.Tests.Accounts;

/// <summary>
/// Every /v1 route (and the OpenAPI document) × every kind of caller, with the exact status each gets, in both visibility modes.
/// Callers without valid credentials (anonymous, anonymous with the pages' cookies, a revoked key, a disabled
/// user's key) get 401 everywhere but the login. The table holds the five that are signed in:
/// viewer, member (owner of the job), another member, admin, and the Security:ApiKey service key.
/// </summary>
public abstract class RoleMatrixTests(AccountsTestApp app)
{
    /// <summary>Whatever the preview answers to those who may see the job: 200 with ffmpeg, 503 without.</summary>
    private const string P = "P";

    /// <summary>Route, then the statuses of viewer, member owner, other member, admin, service key: with visibility shared, then own.</summary>
    public static readonly TheoryData<string, string, string> Routes = new()
    {
        { "POST /v1/auth/login", "200 200 200 200 200", "200 200 200 200 200" },
        { "POST /v1/auth/logout", "204 204 204 204 204", "204 204 204 204 204" },
        { "GET /v1/auth/me", "200 200 200 200 200", "200 200 200 200 200" },
        { "GET /v1/auth/sessions", "200 200 200 200 200", "200 200 200 200 200" },
        { "DELETE /v1/auth/sessions/{memberSession}", "404 204 404 404 404", "404 204 404 404 404" },
        { "POST /v1/auth/sessions/end-others", "200 200 200 200 400", "200 200 200 200 400" },
        { "POST /v1/keys", "201 201 201 201 400", "201 201 201 201 400" },
        { "GET /v1/keys", "200 200 200 200 200", "200 200 200 200 200" },
        { "DELETE /v1/keys/{memberKey}", "404 204 404 204 204", "404 204 404 204 204" },
        { "GET /v1/users", "403 403 403 200 200", "403 403 403 200 200" },
        { "POST /v1/users", "403 403 403 201 201", "403 403 403 201 201" },
        { "PATCH /v1/users/{user}", "403 403 403 200 200", "403 403 403 200 200" },
        { "GET /v1/users/{member}/sessions", "403 403 403 200 200", "403 403 403 200 200" },
        { "DELETE /v1/users/{member}/sessions/{memberSession}", "403 403 403 204 204", "403 403 403 204 204" },
        { "GET /v1/audit", "403 403 403 200 200", "403 403 403 200 200" },
        { "GET /v1/nodes", "403 403 403 200 200", "403 403 403 200 200" },
        { "GET /v1/plugins", "200 200 200 200 200", "200 200 200 200 200" },
        { "POST /v1/video/submit", "403 202 202 202 202", "403 202 202 202 202" },
        { "GET /v1/video/status/{job}", "200 200 200 200 200", "404 200 404 200 200" },
        { "GET /v1/video/results/{job}", "200 200 200 200 200", "404 200 404 200 200" },
        { "GET /v1/jobs", "200 200 200 200 200", "200 200 200 200 200" },
        { "GET /v1/jobs/{job}", "200 200 200 200 200", "404 200 404 200 200" },
        { "POST /v1/jobs/{job}/cancel", "403 409 403 409 409", "403 409 404 409 409" },
        { "DELETE /v1/jobs/{freshJob}", "403 204 403 204 204", "403 204 404 204 204" },
        { "POST /v1/jobs/{job}/rerun", "403 202 202 202 202", "403 202 404 202 202" },
        { "GET /v1/jobs/{job}/export?format=csv", "200 200 200 200 200", "404 200 404 200 200" },
        { "GET /v1/jobs/{job}/export/all", "200 200 200 200 200", "404 200 404 200 200" },
        { "GET /v1/jobs/{job}/video", "200 200 200 200 200", "404 200 404 200 200" },
        { "GET /v1/jobs/{job}/annotated", "404 404 404 404 404", "404 404 404 404 404" },
        { "GET /v1/jobs/{job}/preview", "P P P P P", "404 P 404 P P" },
        { "POST /v1/jobs/{job}/evaluate", "409 409 409 409 409", "404 409 404 409 409" },
        { "GET /v1/jobs/{job}/tracks", "409 409 409 409 409", "404 409 404 409 409" },
        { "GET /v1/jobs/{job}/tracks/1/thumbnail", "404 404 404 404 404", "404 404 404 404 404" },
        { "GET /v1/jobs/{job}/series", "200 200 200 200 200", "404 200 404 200 200" },
        { "GET /v1/jobs/{job}/events", "404 404 404 404 404", "404 404 404 404 404" },
        { "GET /v1/jobs/{job}/heatmap", "404 404 404 404 404", "404 404 404 404 404" },
        { "GET /v1/jobs/{job}/webhooks", "200 200 200 200 200", "404 200 404 200 200" },
        { "GET /v1/plugins/opencv-classic/manifest", "200 200 200 200 200", "200 200 200 200 200" },
        { "GET /openapi/v1.json", "200 200 200 200 200", "200 200 200 200 200" },   // the API's description, as closed as the API
    };

    public static readonly TheoryData<Caller> Unauthenticated = new()
    {
        Caller.Anonymous, Caller.AnonymousWithPageCookies, Caller.RevokedKey, Caller.DisabledUsersKey,
    };

    private static readonly Caller[] SignedIn = [Caller.Viewer, Caller.MemberOwner, Caller.OtherMember, Caller.Admin, Caller.ServiceKey];

    protected abstract bool OwnOnly { get; }

    /// <summary>Every route that exists, from the app's own endpoint list, is in the table (so a new route cannot be forgotten).</summary>
    public static IEnumerable<string> RouteKeys => Routes.Select(r => (string)r[0]);

    [Fact]
    public void Table_CoversEveryV1RouteOfTheApp()
    {
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => GetOrOwnMethods(e).Select(m => $"{m} {Shape(e.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);
        var table = RouteKeys.Select(r => Shape(r.Replace("opencv-classic", "{}", StringComparison.Ordinal).Replace("tracks/1/", "tracks/{}/", StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(routes.Count >= 20, $"Only {routes.Count} /v1 routes found: {string.Join(", ", routes)}");
        Assert.Empty(routes.Except(table).Order(StringComparer.Ordinal));
    }

    /// <summary>An endpoint's methods, its HEAD left out where it answers GET too (HEAD is GET's twin; HeadRequestTests check it).</summary>
    private static IEnumerable<string> GetOrOwnMethods(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
        return methods.Where(m => m != HttpMethods.Head || !methods.Contains(HttpMethods.Get));
    }

    /// <summary>"GET /v1/jobs/{jobId}/export?format=csv" and "GET /v1/jobs/{job}/export" have one shape: "GET /v1/jobs/{}/export".</summary>
    private static string Shape(string route) => System.Text.RegularExpressions.Regex.Replace(route.Split('?')[0].TrimEnd('/'), @"\{[^}]*\}", "{}");

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_ForEverySignedInCaller_AnswersItsExactStatus(string route, string shared, string own)
    {
        var expected = (OwnOnly ? own : shared).Split(' ');
        await AssertForEachAsync($"{route} ({(OwnOnly ? "own" : "shared")})", Enumerable.Range(0, SignedIn.Length), async i =>
        {
            var status = await CallAsync(route, SignedIn[i]);
            var want = expected[i] == P ? PreviewStatus : int.Parse(expected[i], System.Globalization.CultureInfo.InvariantCulture);
            return status == want ? null : $"{SignedIn[i]}: {status}, expected {want}";
        });
    }

    /// <summary>The table's GET routes, whose HEAD must answer as they do.</summary>
    public static TheoryData<string> Gets => new(RouteKeys.Where(r => r.StartsWith("GET ", StringComparison.Ordinal)));

    /// <summary>HEAD is GET's twin for every caller: the same status, its 403 and 404 included (the preview's GET first makes it).</summary>
    [Theory]
    [MemberData(nameof(Gets))]
    public async Task Head_ForEverySignedInCaller_AnswersAsGet(string route) =>
        await AssertForEachAsync($"{route} ({(OwnOnly ? "own" : "shared")})", SignedIn, async caller =>
        {
            var get = await CallAsync(route, caller);
            var head = await CallAsync($"HEAD {route["GET ".Length..]}", caller);
            return head == get ? null : $"{caller}: HEAD {head}, GET {get}";
        });

    [Theory]
    [MemberData(nameof(Unauthenticated))]
    public async Task EveryRoute_WithoutValidCredentials_Is401ExceptLogin(Caller caller) =>
        await AssertForEachAsync(caller.ToString(), RouteKeys, async route =>
        {
            var status = await CallAsync(route, caller);
            var want = route == "POST /v1/auth/login" ? 200 : 401;
            return status == want ? null : $"{route}: {status}, expected {want}";
        });

    /// <summary>Checks every item, then fails once naming every failure (<paramref name="check"/> answers null when all is well).</summary>
    private static async Task AssertForEachAsync<T>(string what, IEnumerable<T> items, Func<T, Task<string?>> check)
    {
        var failures = new List<string>();
        foreach (var item in items)
        {
            if (await check(item) is { } failure)
            {
                failures.Add(failure);
            }
        }

        Assert.True(failures.Count == 0, $"{what}: {string.Join("; ", failures)}");
    }

    private static int PreviewStatus => new FfmpegLocator((string?)null).IsAvailable ? 200 : 503;

    private async Task<int> CallAsync(string route, Caller caller)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var method = new HttpMethod(route[..space]);
        var path = route[(space + 1)..];
        if (path.Contains("{memberKey}", StringComparison.Ordinal))
        {
            path = path.Replace("{memberKey}", (await app.CreateKeyAsync(Caller.MemberOwner, "matrix")).Id.ToString(), StringComparison.Ordinal);
        }

        if (path.Contains("{freshJob}", StringComparison.Ordinal))
        {
            // Only those who may delete get a job of their own to delete; the others try the shared one and must fail.
            var job = caller is Caller.MemberOwner or Caller.Admin or Caller.ServiceKey ? await app.SubmitAndFinishAsync(Caller.MemberOwner) : app.MemberJob;
            path = path.Replace("{freshJob}", job.ToString(), StringComparison.Ordinal);
        }

        if (path.Contains("{memberSession}", StringComparison.Ordinal))
        {
            path = path.Replace("{memberSession}", (await app.NewSessionIdAsync(Caller.MemberOwner)).ToString(), StringComparison.Ordinal);
        }

        path = path.Replace("{job}", app.MemberJob.ToString(), StringComparison.Ordinal)
            .Replace("{user}", AccountsTestApp.ChangedName, StringComparison.Ordinal)
            .Replace("{member}", AccountsTestApp.MemberName, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(method, path) { Content = Body(route) };
        // Signing out ends the session, so it signs out one of its own, not the one the other routes go on with.
        using var client = route == "POST /v1/auth/logout" ? await app.ClientWithNewSessionAsync(caller) : app.ClientFor(caller);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private HttpContent? Body(string route) => route switch
    {
        "POST /v1/auth/login" => JsonContent.Create(new { username = AccountsTestApp.ViewerName, password = AccountsTestApp.Password }),
        "POST /v1/keys" => JsonContent.Create(new { name = "matrix" }),
        "POST /v1/users" => JsonContent.Create(new { username = $"u{Guid.NewGuid():N}"[..12], password = AccountsTestApp.Password, role = "viewer" }),
        "PATCH /v1/users/{user}" => JsonContent.Create(new { role = "member" }),
        "POST /v1/video/submit" => ApiClient.SubmitForm(TestClips.MovingSquare(app.Clips.Path, frames: 3, name: $"{Guid.NewGuid():N}.avi")),
        _ => null,
    };
}

public sealed class RoleMatrixSharedTests(SharedVisibilityApp app) : RoleMatrixTests(app), IClassFixture<SharedVisibilityApp>
{
    protected override bool OwnOnly => false;
}

public sealed class RoleMatrixOwnTests(OwnVisibilityApp app) : RoleMatrixTests(app), IClassFixture<OwnVisibilityApp>
{
    protected override bool OwnOnly => true;
}
