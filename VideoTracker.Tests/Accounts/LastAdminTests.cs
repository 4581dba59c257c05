using System.Net.Http.Json;

namespace VideoTracker.Tests.Accounts;

/// <summary>Users can always be managed: the last enabled admin can be neither demoted nor disabled.</summary>
public sealed class LastAdminTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private const string Refusal = "is the last enabled admin: make another user an admin first.";

    [Fact]
    public async Task LastEnabledAdmin_CannotBeDemotedOrDisabled_UntilAnotherAdminIsEnabled()
    {
        using var admin = factory.CreateClient();
        const string first = VideoTrackerAppFactory.AdminName;

        await AssertRefusedAsync(admin, first, new { role = "member", password = "a-new-password-1" });
        await AssertRefusedAsync(admin, first, new { disabled = true });
        Assert.Equal(("admin", false), await RoleAsync(admin, first));
        using (var anonymous = factory.CreateAnonymousClient())
        using (var login = await anonymous.PostAsJsonAsync("/v1/auth/login", new { username = first, password = VideoTrackerAppFactory.AdminPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);   // the refused change did not reset the password either
        }

        await SendAsync(admin, HttpMethod.Post, "/v1/users", new { username = "ada", password = "ada-password-1", role = "admin" }, HttpStatusCode.Created);
        await SendAsync(admin, HttpMethod.Patch, $"/v1/users/{first}", new { role = "member" }, HttpStatusCode.OK);
        await AssertRefusedAsync(admin, "ada", new { disabled = true });

        await SendAsync(admin, HttpMethod.Patch, $"/v1/users/{first}", new { role = "admin" }, HttpStatusCode.OK);
        await SendAsync(admin, HttpMethod.Patch, "/v1/users/ada", new { disabled = true }, HttpStatusCode.OK);
        await AssertRefusedAsync(admin, first, new { role = "viewer" });   // a disabled admin does not count

        Assert.Equal(("admin", false), await RoleAsync(admin, first));
        Assert.Equal(("admin", true), await RoleAsync(admin, "ada"));
    }

    private static async Task AssertRefusedAsync(HttpClient admin, string username, object change)
    {
        var (status, problem) = await admin.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Patch, $"/v1/users/{username}") { Content = JsonContent.Create(change) });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"'{username}' {Refusal}", problem.Detail());
    }

    internal static async Task SendAsync(HttpClient client, HttpMethod method, string url, object body, HttpStatusCode expected)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });
        Assert.Equal(expected, response.StatusCode);
    }

    internal static async Task<(string? Role, bool Disabled)> RoleAsync(HttpClient admin, string username)
    {
        var user = (await admin.GetJsonAsync("/v1/users")).GetProperty("users").EnumerateArray().Single(u => u.GetProperty("username").GetString() == username);
        return (user.GetProperty("role").GetString(), user.GetProperty("disabled").GetBoolean());
    }
}
