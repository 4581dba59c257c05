using Microsoft.AspNetCore.Http;
using VideoTracker.App.Hosting;
using VideoTracker.Tests.Accounts;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// Behind a proxy that sends <c>Host</c> without the browser's port (nginx's <c>proxy_set_header Host $host</c> on
/// https://host:8443), the sign-in redirects still lead to the address the browser used: they are paths, not URLs
/// made from that <c>Host</c>.
/// </summary>
public sealed class RelativeRedirectTests(NoTrustedProxyApp app) : IClassFixture<NoTrustedProxyApp>
{
    [Fact]
    public async Task SignInRedirects_ThroughAProxyThatDropsThePort_ArePathsThatKeepTheBrowsersPort()
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(app.BaseUrl) };
        browser.DefaultRequestHeaders.Host = new Uri(app.BaseUrl).Host;   // the port left out, as $host does

        using var page = await browser.GetAsync("/jobs");
        Assert.Equal((HttpStatusCode.Redirect, "/login?returnUrl=%2Fjobs"), (page.StatusCode, page.Headers.Location?.ToString()));

        using var signIn = await SignInAsync(browser, "/login?returnUrl=%2Fjobs");
        Assert.Equal((HttpStatusCode.Redirect, "/jobs"), (signIn.StatusCode, signIn.Headers.Location?.ToString()));
    }

    [Theory]
    [InlineData("/.//evil.example/x")]
    [InlineData("/./\\evil.example/x")]
    [InlineData("/a/..//evil.example/x")]
    public async Task SignIn_ReturnUrlThatResolvesToTwoSlashes_StaysOnThisHost(string returnUrl)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(app.BaseUrl) };
        using var signIn = await SignInAsync(browser, "/login?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var target = new Uri(new Uri(app.BaseUrl), signIn.Headers.Location!);   // where the browser goes
        Assert.Equal(new Uri(app.BaseUrl).Authority, target.Authority);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000//evil.example/x", "http://127.0.0.1:5000//evil.example/x")]   // as a path, another host
    [InlineData("http://127.0.0.1:5000/\\evil.example/x", "http://127.0.0.1:5000/\\evil.example/x")]
    [InlineData("http://127.0.0.1:5000/login?returnUrl=%2F#x", "/login?returnUrl=%2F#x")]
    [InlineData("http://127.0.0.1/login", "http://127.0.0.1/login")]      // another port
    [InlineData("https://127.0.0.1:5000/login", "https://127.0.0.1:5000/login")]   // another scheme
    [InlineData("https://example.com/", "https://example.com/")]
    [InlineData("/account?message=x", "/account?message=x")]
    public void Relative_OnlyForTheRequestsOwnOrigin(string location, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:5000");
        Assert.Equal(expected, RelativeRedirects.Relative(context.Request, location));
    }

    [Fact]
    public void Relative_RequestWithoutAHost_LeavesTheLocationAsItIs()
    {
        var context = new DefaultHttpContext();   // HTTP/1.0 may send no Host at all
        context.Request.Scheme = "http";

        Assert.Equal("http://127.0.0.1:5000/login", RelativeRedirects.Relative(context.Request, "http://127.0.0.1:5000/login"));
    }

    /// <summary>Sends the sign-in page's form at <paramref name="page"/> with the admin's name and password.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string page)
    {
        var fields = await browser.HiddenFieldsAsync(page);
        fields["Input.Username"] = VideoTrackerAppFactory.AdminName;
        fields["Input.Password"] = VideoTrackerAppFactory.AdminPassword;
        return await browser.PostAsync(page, new FormUrlEncodedContent(fields));
    }
}
