using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using VideoTracker.Tests.Jobs;

namespace VideoTracker.Tests.Webhooks;

/// <summary>Webhooks to a real receiver on 127.0.0.1, allowed here with Webhooks:AllowPrivateNetworks=true.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "s3cret-for-tests";
    private readonly TempDirectory _data = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    private TestPluginAppFactory App(double retryDelaySeconds = 0.05)
    {
        var app = new TestPluginAppFactory();
        app.Settings["Storage:DataDirectory"] = _data.Path;
        app.Settings["Webhooks:AllowPrivateNetworks"] = "true";
        app.Settings["Webhooks:Secret"] = Secret;
        app.Settings["Webhooks:RetryDelaySeconds"] = retryDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return app;
    }

    private async Task<Guid> SubmitSceneAsync(TestPluginAppFactory app, HttpClient client) =>
        await client.SubmitAsync(
            SquaresClip.Write(app.Clips.Path, "scene.avi", CountingScene.Width, CountingScene.Height, CountingScene.Fps, CountingScene.Frames, CountingScene.Squares),
            TestPlugin.PluginId,
            SquaresClip.Tool.Id,
            new Dictionary<string, string> { ["zones"] = CountingScene.ZonesJson, ["webhook_url"] = _receiver.Url.ToString() });

    private static async Task<JsonElement> WaitForDeliveryAsync(HttpClient client, Guid job, string status) =>
        (await Poll.UntilAsync(
            async () => (await client.GetJsonAsync($"/v1/jobs/{job}/webhooks")).GetProperty("deliveries"),
            deliveries => deliveries.GetArrayLength() > 0 && deliveries[0].GetProperty("status").GetString() == status,
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(50),
            _ => $"The delivery of job {job} never became {status}."))[0];

    [Fact]
    public async Task Deliver_CompletedJob_PostsPayloadWhoseSignatureVerifies()
    {
        await using var app = App();
        using var client = app.CreateClient();

        var job = await SubmitSceneAsync(app, client);

        var received = Assert.Single(await _receiver.WaitForAsync(1));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(received.Body)));
        Assert.Equal(expected, received.Signature);
        using var body = JsonDocument.Parse(received.Body);
        var root = body.RootElement;
        Assert.Equal(("job.completed", job.ToString(), "completed", 100), (root.GetProperty("event").GetString(), root.GetProperty("job_id").GetString(), root.GetProperty("status").GetString(), root.GetProperty("progress").GetInt32()));
        Assert.Equal((TestPlugin.PluginId, SquaresClip.Tool.Id), (root.GetProperty("plugin_id").GetString(), root.GetProperty("tool").GetString()));
        Assert.Equal(1, root.GetProperty("counts").GetProperty("gate").GetProperty("in").GetInt32());
        Assert.Equal(CountingScene.Frames, root.GetProperty("summary").GetProperty("total_frames").GetInt32());
        Assert.True(root.GetProperty("finished_at").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
        var delivery = await WaitForDeliveryAsync(client, job, "delivered");
        Assert.Equal(received.DeliveryId, delivery.GetProperty("delivery_id").GetString());
    }

    /// <summary>
    /// The delivery id and the time of sending are inside the signed body, so a captured delivery cannot be replayed
    /// under another id, nor its age hidden; the server names itself in User-Agent.
    /// </summary>
    [Fact]
    public async Task Deliver_SignsItsDeliveryIdAndSentAt_AndSaysWhoSendsIt()
    {
        await using var app = App();
        using var client = app.CreateClient();
        var before = DateTime.UtcNow;

        await SubmitSceneAsync(app, client);

        var received = Assert.Single(await _receiver.WaitForAsync(1));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(received.DeliveryId, body.RootElement.GetProperty("delivery_id").GetString());
        var sentAt = body.RootElement.GetProperty("sent_at").GetDateTime();
        Assert.InRange(sentAt, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(DateTimeKind.Utc, sentAt.Kind);
        var signed = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(received.Body)));
        Assert.Equal(signed, received.Signature);
        Assert.Matches(@"^VideoTracker/\d+\.\d+\.\d+$", received.UserAgent);
    }

    /// <summary>The members of <paramref name="json"/> but <paramref name="left"/>, as text.</summary>
    private static string[] Without(JsonElement json, string left) =>
        [.. json.EnumerateObject().Where(p => p.Name != left).Select(p => p.ToString())];

    [Fact]
    public async Task Deliveries_ShowNoQueryString_AndTheServerWebhookOnlyAsItsOriginToOthersThanAdmins()
    {
        await using var app = App();
        app.Settings["Webhooks:Url"] = $"{_receiver.Url}?key=server-secret";
        using var admin = app.CreateClient();
        var job = await admin.SubmitAsync(
            SquaresClip.Write(app.Clips.Path, "scene.avi", CountingScene.Width, CountingScene.Height, CountingScene.Fps, CountingScene.Frames, CountingScene.Squares),
            TestPlugin.PluginId,
            SquaresClip.Tool.Id,
            new Dictionary<string, string> { ["webhook_url"] = $"{_receiver.Url}?token=job-secret" });
        await _receiver.WaitForAsync(2);
        using (var created = await admin.PostAsJsonAsync("/v1/users", new { username = "vera", password = "vera-password-1", role = "viewer" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var viewer = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using (var login = await viewer.PostAsJsonAsync("/v1/auth/login", new { username = "vera", password = "vera-password-1" }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var hook = _receiver.Url.ToString();
        var origin = _receiver.Url.GetLeftPart(UriPartial.Authority);
        Assert.Equal([(hook, false), (hook, true)], await ShownAsync(admin, job));
        Assert.Equal([(hook, false), (origin, true)], await ShownAsync(viewer, job));
        var raw = await viewer.GetStringAsync($"/v1/jobs/{job}/webhooks");
        Assert.DoesNotContain("secret", raw, StringComparison.Ordinal);
    }

    /// <summary>Each delivery's shown address and whether it is the server's, the job's own first.</summary>
    private static async Task<(string? Url, bool ServerWide)[]> ShownAsync(HttpClient client, Guid job) =>
        [.. (await client.GetJsonAsync($"/v1/jobs/{job}/webhooks")).GetProperty("deliveries").EnumerateArray()
            .Select(d => (d.GetProperty("url").GetString(), d.GetProperty("server_wide").GetBoolean()))
            .OrderBy(d => d.Item2)];

    [Fact]
    public async Task Deliver_JobFailedByTheRecoverySweep_PostsJobFailed()
    {
        await using var app = App();
        app.Settings["Webhooks:Url"] = _receiver.Url.ToString();
        using var client = app.CreateClient();
        var job = await RecoverySweepTests.AddOrphanAsync(
            app.Services.GetRequiredService<JobStore>(), app.Services.GetRequiredService<DataPaths>(), attempts: 2);

        await app.Services.GetRequiredService<JobRecoveryService>().SweepAsync(CancellationToken.None);

        var received = Assert.Single(await _receiver.WaitForAsync(1));
        using var body = JsonDocument.Parse(received.Body);
        var root = body.RootElement;
        Assert.Equal(("job.failed", job.ToString(), "failed"), (root.GetProperty("event").GetString(), root.GetProperty("job_id").GetString(), root.GetProperty("status").GetString()));
        Assert.Equal("delivered", (await WaitForDeliveryAsync(client, job, "delivered")).GetProperty("status").GetString());
    }

    /// <summary>
    /// A 5xx is retried with the same delivery id and body until it is delivered; a 4xx ends the delivery at
    /// once: half a second later no other POST has come.
    /// </summary>
    [Theory]
    [InlineData(500, "delivered", 2, 200)]
    [InlineData(410, "failed", 1, 410)]
    public async Task Deliver_FirstAnswer_IsRetriedOnlyWhenItIs5xx(int firstAnswer, string ends, int attempts, int lastStatusCode)
    {
        _receiver.Answers.Enqueue(firstAnswer);
        await using var app = App();
        using var client = app.CreateClient();

        var job = await SubmitSceneAsync(app, client);

        var delivery = await WaitForDeliveryAsync(client, job, ends);
        Assert.Equal((attempts, lastStatusCode), (delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("last_status_code").GetInt32()));
        await Task.Delay(500);
        var received = _receiver.Received.ToArray();
        Assert.Equal(attempts, received.Length);
        Assert.NotNull(received[0].DeliveryId);
        Assert.All(received, r => Assert.Equal((received[0].DeliveryId, received[0].Body), (r.DeliveryId, r.Body)));
    }

    [Fact]
    public async Task Deliver_PendingWhenTheAppStops_IsSentAfterRestartWithTheSameId()
    {
        // The first run gets only 500s and waits a minute before its retry; it is stopped meanwhile.
        _receiver.Answers.Enqueue(500);
        Guid job;
        await using (var first = App(retryDelaySeconds: 60))
        {
            using var client = first.CreateClient();
            job = await SubmitSceneAsync(first, client);
            await _receiver.WaitForAsync(1);
            var sending = (await client.GetJsonAsync($"/v1/jobs/{job}/webhooks")).GetProperty("deliveries")[0];
            Assert.Equal("sending", sending.GetProperty("status").GetString());
        }

        await using var second = App();
        using var again = second.CreateClient();

        var received = await _receiver.WaitForAsync(2);
        Assert.Equal(received[0].DeliveryId, received[1].DeliveryId);
        var (before, after) = (JsonDocument.Parse(received[0].Body).RootElement, JsonDocument.Parse(received[1].Body).RootElement);
        Assert.Equal(received[0].DeliveryId, after.GetProperty("delivery_id").GetString());
        Assert.Equal(Without(before, "sent_at"), Without(after, "sent_at"));
        Assert.True(after.GetProperty("sent_at").GetDateTime() > before.GetProperty("sent_at").GetDateTime());
        Assert.Equal("delivered", (await WaitForDeliveryAsync(again, job, "delivered")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "127.0.0.1")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://[::1]:9/hook", "::1")]
    [InlineData("http://10.1.2.3/hook", "10.1.2.3")]
    [InlineData("http://localhost:9/hook", "loopback")]
    [InlineData("ftp://example.com/hook", "only absolute http:// or https:// URLs")]
    public async Task Submit_WebhookUrlToPrivateNetworkWithoutTheSetting_Returns400(string url, string expected)
    {
        await using var app = new TestPluginAppFactory();
        using var client = app.CreateClient();
        using var form = ApiClient.SubmitForm(
            TestClips.MovingSquare(app.Clips.Path, frames: 5, name: "hook.avi"), TestPlugin.PluginId, "gated", new Dictionary<string, string> { ["webhook_url"] = url });

        var (status, problem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Option 'webhook_url' is refused", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        Assert.Equal("webhook_url", problem.GetProperty("option").GetString());
    }
}
