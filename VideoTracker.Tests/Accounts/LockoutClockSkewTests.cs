using System.Net.Http.Json;
using VideoTracker.Tests.Jobs;

namespace VideoTracker.Tests.Accounts;

/// <summary>
/// Two <c>web</c> nodes on one PostgreSQL database, as real processes, the second one's clock 10 minutes behind the
/// first's (<see cref="SkewedClock"/>): a lockout earned on one holds on the other.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class LockoutClockSkewTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [PostgresSkewedClockFact]
    public async Task Login_OnTheOtherNodeAfterFiveFailuresOnANodeWhoseClockIsBehind_IsLockedEvenWithTheRightPassword()
    {
        await using var database = await TestPostgres.CreateAsync();
        var data = _temp.Combine("data");
        var behind = new SkewedClock(_temp.Combine("faketime"), "-10m");
        using var first = await AppProcess.StartAsync(data, Settings(database, "first"));
        using var second = await AppProcess.StartAsync(data, new Dictionary<string, string>(Settings(database, "second").Concat(behind.Settings)));
        using var admin = first.CreateClient();
        using (var created = await admin.PostAsJsonAsync("/v1/users", new { username = "lou", password = "lou-password-1", role = "member" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var onSecond = new HttpClient { BaseAddress = second.BaseAddress };
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await onSecond.PostAsJsonAsync("/v1/auth/login", new { username = "lou", password = "not-lou-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var onFirst = new HttpClient { BaseAddress = first.BaseAddress };
        using var right = await onFirst.PostAsJsonAsync("/v1/auth/login", new { username = "lou", password = "lou-password-1" });
        var users = await admin.GetJsonAsync("/v1/users");

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.True(users.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("username").GetString() == "lou").GetProperty("locked_out").GetBoolean());
    }

    private static Dictionary<string, string> Settings(TestPostgres database, string name)
    {
        var settings = MultiNodeCluster.NodeSettings(database, "web", name);
        settings["Auth__LoginAttemptsPerMinute"] = "100";
        return settings;
    }

    public void Dispose() => _temp.Dispose();
}
