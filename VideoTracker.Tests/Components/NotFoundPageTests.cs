using System.Net.Http.Headers;
using VideoTracker.Tests.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>An address with no page answers 404 with the app's own page, in its layout; the API's 404s stay JSON.</summary>
public sealed class NotFoundPageTests(OwnVisibilityApp app) : IClassFixture<OwnVisibilityApp>
{
    [Theory]
    [InlineData(Caller.Viewer, "/jobz")]
    [InlineData(Caller.Viewer, "/admin")]
    [InlineData(Caller.Viewer, "/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/extra")]
    [InlineData(Caller.Viewer, "/not-found")]
    [InlineData(Caller.Anonymous, "/jobz")]
    public async Task UnknownAddress_Is404WithThePageNotFoundPageInTheAppsLayout(Caller caller, string path)
    {
        var (status, type, html) = await BrowserGetAsync(caller, path);

        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (status, type));
        Assert.Contains("<title>Page not found · VideoTracker</title>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"page-not-found\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"jobs\"", html, StringComparison.Ordinal);
        Assert.Contains("<nav", html, StringComparison.Ordinal);   // inside the app's layout, with its menu
        Assert.Contains($"href=\"{app.BaseUrl}{path}#main-content\"", html, StringComparison.Ordinal);   // "Skip to content" stays at this address
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task UnknownAddress_WithAnotherMethodThanGet_Is404Not405(string method)
    {
        using var client = app.ClientFor(Caller.Viewer);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/jobz"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Content.Headers.Allow.Count > 0, "a 404 names no allowed methods");
    }

    [Theory]
    [InlineData("/jobz", "image/avif,image/webp,*/*")]
    [InlineData("/js/nothing.js", "*/*")]
    [InlineData("/jobz", null)]
    public async Task UnknownAddress_AskedForByAScriptOrAnImage_StaysABare404(string path, string? accept)
    {
        using var client = app.ClientFor(Caller.Viewer);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(Caller.Viewer, "/v1/nothing-here")]
    [InlineData(Caller.Viewer, "/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData(Caller.Anonymous, "/v1/nothing-here")]
    public async Task UnknownApiAddress_AskedForByABrowser_StaysAJsonError(Caller caller, string path)
    {
        var (status, type, body) = await BrowserGetAsync(caller, path);

        Assert.Equal((HttpStatusCode.NotFound, "application/json"), (status, type));
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task JobPage_OfAnUnknownOrHiddenJob_Is404AndSaysJobNotFound()
    {
        foreach (var path in new[] { $"/jobs/{Guid.NewGuid()}", "/jobs/not-a-job-id", $"/jobs/{app.MemberJob}" })
        {
            var (status, type, html) = await BrowserGetAsync(Caller.OtherMember, path);

            Assert.True((status, type) == (HttpStatusCode.NotFound, "text/html"), $"{path}: {status} {type}");
            Assert.Contains("data-testid=\"job-not-found\"", html, StringComparison.Ordinal);
            Assert.Contains("<nav", html, StringComparison.Ordinal);
        }

        // The job's owner sees it (visibility is per owner here).
        var (shown, _, page) = await BrowserGetAsync(Caller.MemberOwner, $"/jobs/{app.MemberJob}");
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.DoesNotContain("data-testid=\"job-not-found\"", page, StringComparison.Ordinal);
    }

    /// <summary>A GET as a browser sends it when the address is typed or a link followed.</summary>
    private async Task<(HttpStatusCode Status, string? Type, string Body)> BrowserGetAsync(Caller caller, string path)
    {
        using var client = app.ClientFor(caller);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.8));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
