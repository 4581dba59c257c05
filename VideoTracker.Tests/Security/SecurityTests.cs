namespace VideoTracker.Tests.Security;

public sealed class ApiKeyAppFactory : TestPluginAppFactory
{
    public const string Key = "s3cret-key-for-tests";

    public ApiKeyAppFactory() => Settings["Security:ApiKey"] = Key;
}

/// <summary>The app with a plugin that throws, to see what an unhandled error shows a client.</summary>
public sealed class ExplodingPluginAppFactory : TestPluginAppFactory
{
    public ExplodingPluginAppFactory()
    {
        var inner = ConfigureServices;
        ConfigureServices = services =>
        {
            inner?.Invoke(services);
            services.AddSingleton<IVideoPlugin, ExplodingPlugin>();
        };
    }

    /// <summary>A plugin whose availability check throws, to see what an unhandled error shows.</summary>
    private sealed class ExplodingPlugin : IVideoPlugin
    {
        public string Id => "exploding";

        public string Title => "Exploding";

        public string Version => "0";

        public string Description => "Throws.";

        public IReadOnlyList<IVideoTool> Tools => throw new InvalidOperationException("boom at /srv/secret/path/VideoTracker.cs:line 42");
    }
}

public sealed class SecurityTests(ApiKeyAppFactory factory) : IClassFixture<ApiKeyAppFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("s3cret-key-for-test")]
    public async Task V1_WithoutTheRightKey_Is401WithJsonDetail(string? key)
    {
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/jobs");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var (status, problem) = await client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("X-Api-Key", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_WithTheKey_Answers()
    {
        using var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKeyAppFactory.Key);

        using var response = await client.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task V1_WithCookiesFromAnonymousPageVisits_Is401AndSubmitIsRefused()
    {
        // The bypass this replaced: an anonymous GET / used to hand out a cookie that opened /v1.
        using var browser = factory.CreateAnonymousClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = true });
        using var page = await browser.GetAsync("/");
        using var login = await browser.GetAsync("/login");

        using var list = await browser.GetAsync("/v1/jobs");
        using var form = ApiClient.SubmitForm(TestClips.MovingSquare(factory.Clips.Path, frames: 3, name: "bypass.avi"));
        using var submit = await browser.PostAsync("/v1/video/submit", form);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.EndsWith("/login", page.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.DoesNotContain(page.Headers.Concat(login.Headers), h => h.Key == "Set-Cookie" && h.Value.Any(c => c.StartsWith("vt_ui=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        using var client = factory.CreateClient();

        using var page = await client.GetAsync("/");

        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_AreNeverServedAsStaticFiles()
    {
        using var client = factory.CreateClient();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 3, name: "private.avi");
        var job = await client.SubmitAsync(clip);
        var folder = job.ToString("N");

        foreach (var url in new[] { $"/jobs/{folder}/input.avi", $"/data/jobs/{folder}/input.avi", $"/{folder}/input.avi", "/videotracker.db" })
        {
            using var response = await client.GetAsync(url);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.NotEqual(File.ReadAllBytes(clip).Take(64), bytes.Take(64));
        }

        using var download = await client.GetAsync($"/v1/jobs/{job}/video");
        Assert.Equal("video/x-msvideo", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("private.avi", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        await client.WaitForTerminalAsync(job);
    }
}

public sealed class UnhandledErrorTests(ExplodingPluginAppFactory factory) : IClassFixture<ExplodingPluginAppFactory>
{
    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("application/problem+json", "application/problem+json")]
    public async Task UnhandledError_AnswersJsonDetailWithoutStackTraceOrPath(string? accept, string expectedType)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/plugins");
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(expectedType, response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(System.Text.Json.JsonDocument.Parse(body).RootElement.Detail()));
        Assert.DoesNotContain("/srv/secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("line 42", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }
}
