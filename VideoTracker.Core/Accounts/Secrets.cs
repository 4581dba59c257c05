using System.Security.Cryptography;
using System.Text;

namespace VideoTracker.Core.Accounts;

/// <summary>The random secrets the server hands out (API keys, session ids), and the SHA-256 form in which the database keeps them.</summary>
public static class Secrets
{
    /// <summary><paramref name="bytes"/> random bytes, in URL-safe base64 without padding.</summary>
    public static string NewRandom(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 of the secret, lower-case hex: all that is stored of it.</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
