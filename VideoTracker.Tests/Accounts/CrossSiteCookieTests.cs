using VideoTracker.App.Accounts;

namespace VideoTracker.Tests.Accounts;

/// <summary>
/// A browser request from another origin may not use the sign-in cookie to change anything under <c>/v1</c>
/// (cross-site request forgery); the same request from the app's own pages, from a client that is not a browser,
/// or with an API key passes. On the real Kestrel app with real cookies.
/// </summary>
public sealed class CrossSiteCookieTests(SharedVisibilityApp app) : IClassFixture<SharedVisibilityApp>
{
    [Theory]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "http://localhost:3000")]
    [InlineData("Origin", "null")]
    public async Task CookieChange_FromAnotherOrigin_Is403AndChangesNothing(string header, string value)
    {
        using var member = app.ClientFor(Caller.MemberOwner);
        member.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        using var service = app.ClientFor(Caller.ServiceKey);
        var jobsBefore = (await service.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32();

        var answers = new[]
        {
            await member.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{app.MemberJob}/rerun")),
            await member.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/jobs/{app.MemberJob}")),
            await member.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = new MultipartFormDataContent() }),
        };

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Forbidden, CrossSiteCookieGuard.Detail), (a.Status, a.Body.Detail())));
        Assert.Equal("completed", (await service.GetJsonAsync($"/v1/jobs/{app.MemberJob}")).GetProperty("status").GetString());
        Assert.Equal(jobsBefore, (await service.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData(Caller.MemberOwner, null, null)]                       // not a browser
    [InlineData(Caller.MemberOwner, "Sec-Fetch-Site", "same-origin")]  // the app's own page
    [InlineData(Caller.MemberOwner, "Origin", "self")]                 // a browser without Sec-Fetch-Site, same origin
    [InlineData(Caller.ServiceKey, "Origin", "http://localhost:3000")] // a key, which a browser never adds by itself
    public async Task Change_FromTheSameOriginOrNotByCookie_Passes(Caller caller, string? header, string? value)
    {
        using var client = app.ClientFor(caller);
        if (header is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(header, value == "self" ? app.BaseUrl.TrimEnd('/') : value);
        }

        using var cancel = await client.PostAsync($"/v1/jobs/{Guid.NewGuid()}/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);   // past the guard, to the unknown job
    }

    [Fact]
    public async Task CookieRead_FromAnotherOrigin_Passes()
    {
        using var member = app.ClientFor(Caller.MemberOwner);
        member.DefaultRequestHeaders.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");

        using var read = await member.GetAsync($"/v1/jobs/{app.MemberJob}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);   // reads change nothing; CORS keeps their answers from other origins
    }
}
