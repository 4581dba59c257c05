using System.Net.Http.Json;

namespace VideoTracker.Tests.Accounts;

/// <summary>
/// Changes to the admins are serialised in the database (SQLite's write lock, PostgreSQL's advisory lock): admins
/// demoted at the same moment still leave one. Its own app, because it leaves the users changed.
/// </summary>
public sealed class ConcurrentAdminChangeTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    [Fact]
    public async Task AdminsDemotedAtOnce_LeaveExactlyOneEnabledAdmin()
    {
        using var key = factory.CreateClient();   // the service key: an admin whom no demotion touches
        var admins = new List<string> { VideoTrackerAppFactory.AdminName };
        for (var i = 1; i <= 11; i++)
        {
            admins.Add($"boss{i}");
            await LastAdminTests.SendAsync(key, HttpMethod.Post, "/v1/users", new { username = $"boss{i}", password = "boss-password-1", role = "admin" }, HttpStatusCode.Created);
        }

        // Half are demoted and half disabled, all at once; each alone would pass the check.
        var answers = await Task.WhenAll(admins.Select(async (name, i) =>
        {
            object change = i % 2 == 0 ? new { role = "member" } : new { disabled = true };
            using var response = await key.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/v1/users/{name}") { Content = JsonContent.Create(change) });
            return response.StatusCode;
        }));

        Assert.Equal(admins.Count - 1, answers.Count(s => s == HttpStatusCode.OK));
        Assert.Single(answers, HttpStatusCode.Conflict);
        var enabledAdmins = new List<string>();
        foreach (var name in admins)
        {
            if (await LastAdminTests.RoleAsync(key, name) is ("admin", false))
            {
                enabledAdmins.Add(name);
            }
        }

        Assert.Single(enabledAdmins);
        Assert.Equal(admins[Array.IndexOf(answers, HttpStatusCode.Conflict)], enabledAdmins[0]);
    }
}
