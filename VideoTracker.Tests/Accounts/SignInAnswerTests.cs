using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Accounts;

/// <summary>The app, with its password hasher counted.</summary>
public sealed class CountedHasherAppFactory : VideoTrackerAppFactory
{
    public CountedHasherAppFactory()
    {
        Settings["Auth:LoginAttemptsPerMinute"] = "100";
        ConfigureServices = services => services.AddSingleton<IPasswordHasher<AppUser>>(Hasher);
    }

    public CountingPasswordHasher Hasher { get; } = new();
}

/// <summary>Identity's own hasher, counting the passwords it checks.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<AppUser>
{
    private readonly PasswordHasher<AppUser> _inner = new();
    private int _checks;

    public int Checks => Volatile.Read(ref _checks);

    public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _checks);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>
/// A sign-in tells nothing about which names exist: an unknown name, a wrong password and a locked account get the same
/// answer, on the API and on the sign-in page, and each costs a password check.
/// </summary>
public sealed class SignInAnswerTests(CountedHasherAppFactory factory) : IClassFixture<CountedHasherAppFactory>
{
    public const string WrongPassword = "Wrong username or password.";

    private const string Password = "right-password-1";

    [Fact]
    public async Task Login_UnknownNameWrongPasswordAndLockedAccount_AnswerAlike_OnTheApiAndThePage()
    {
        await CreateUserAsync("lena");
        using var client = factory.CreateAnonymousClient();

        var unknown = await SignInAsync(client, "no-such-user", Password);
        var wrong = await SignInAsync(client, "lena", "wrong-password-1");
        for (var i = 0; i < 4; i++)
        {
            await SignInAsync(client, "lena", "wrong-password-1");
        }

        var locked = await SignInAsync(client, "lena", Password);
        var unknownPage = await SignInOnThePageAsync("no-such-user", Password);
        var lockedPage = await SignInOnThePageAsync("lena", Password);

        Assert.Equal((HttpStatusCode.Unauthorized, WrongPassword), unknown);
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, locked);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownPage.Status);
        Assert.Contains(WrongPassword, unknownPage.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, lockedPage.Status);
        Assert.Contains(WrongPassword, lockedPage.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_UnknownNameOrLockedAccount_ChecksAPasswordLikeAKnownName()
    {
        await CreateUserAsync("lars");
        using var client = factory.CreateAnonymousClient();

        var before = factory.Hasher.Checks;
        await SignInAsync(client, "nobody-by-this-name", Password);
        var afterUnknown = factory.Hasher.Checks;
        for (var i = 0; i < 5; i++)
        {
            await SignInAsync(client, "lars", "wrong-password-1");
        }

        var beforeLocked = factory.Hasher.Checks;
        await SignInAsync(client, "lars", Password);

        Assert.Equal(before + 1, afterUnknown);
        Assert.Equal(beforeLocked + 1, factory.Hasher.Checks);
    }

    private async Task CreateUserAsync(string username)
    {
        using var admin = factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/v1/users", new { username, password = Password, role = "member" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, string Detail)> SignInAsync(HttpClient client, string username, string password)
    {
        var (status, problem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/auth/login") { Content = JsonContent.Create(new { username, password }) });
        return (status, problem.Detail());
    }

    private async Task<(HttpStatusCode Status, string Html)> SignInOnThePageAsync(string username, string password)
    {
        using var browser = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var fields = await browser.HiddenFieldsAsync("/login");
        fields["Input.Username"] = username;
        fields["Input.Password"] = password;
        using var answer = await browser.PostAsync("/login", new FormUrlEncodedContent(fields));
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }
}
