using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;

namespace VideoTracker.Tests.Health;

public sealed partial class HealthAndCapacityTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task HealthReady_ReportsDatabaseDataFolderModelAndFfmpeg()
    {
        using var live = await _client.GetAsync("/health/live");
        var ready = await _client.GetJsonAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        var checks = ready.GetProperty("checks");
        Assert.Equal("healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("data_folder").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.True, checks.GetProperty("ffmpeg").GetProperty("data").GetProperty("present").ValueKind);
        Assert.True(checks.GetProperty("model").GetProperty("data").TryGetProperty("present", out _));
    }

    [Fact]
    public async Task OpenApi_DocumentsEveryV1Endpoint()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + RouteConstraint().Replace(e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/'), "}"))
            .Where(r => r.StartsWith("/v1/", StringComparison.Ordinal))
            .ToHashSet();

        Assert.NotEmpty(routes);
        Assert.All(routes, r => Assert.Contains(r, documented));
    }

    [Fact]
    public async Task OpenApi_JobRoutes_DocumentJobIdAsAStringPathParameter()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.Contains("{jobId}", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(op => (Name: $"{op.Name} {p.Name}", Operation: op.Value)))
            .ToList();

        Assert.True(operations.Count >= 15, $"only {operations.Count} job operations documented");
        var missing = operations.Where(o => !o.Operation.TryGetProperty("parameters", out var parameters)
                || !parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "jobId" && p.GetProperty("in").GetString() == "path"
                    && p.GetProperty("schema").GetRawText().Contains("\"string\"", StringComparison.Ordinal)))
            .Select(o => o.Name);
        Assert.Empty(missing);
    }

    /// <summary>A route constraint such as <c>:int</c> in <c>{trackId:int}</c>; OpenAPI names the parameter without it.</summary>
    [GeneratedRegex(":[^}]*}")]
    private static partial Regex RouteConstraint();
}

public sealed class DiskFullFactory : TestPluginAppFactory
{
    public DiskFullFactory() => Settings["Storage:MinFreeBytes"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class DiskFullTests(DiskFullFactory factory) : IClassFixture<DiskFullFactory>
{
    [Fact]
    public async Task Submit_WhenFreeDiskIsBelowMinFreeBytes_Is507AndStoresNothing()
    {
        using var client = factory.CreateClient();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 3);
        using var form = ApiClient.SubmitForm(clip);

        var (status, problem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        Assert.Contains("low on disk space", problem.Detail(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDirectory, "staging")));
        Assert.Equal(0, (await client.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32());
    }
}
