using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace VideoTracker.App.Accounts;

/// <summary>
/// A hash of a random password, made once by the app's own <see cref="IPasswordHasher{TUser}"/>. A sign-in that Identity
/// would answer without checking any password (an unknown name, a locked-out or disabled user, a user without a
/// password) checks it against this hash instead: the same work as a real check, so the time taken does not tell which
/// names exist.
/// </summary>
public sealed class DecoyPassword
{
    private string? _hash;

    public void Check(IPasswordHasher<AppUser> hasher, string password)
    {
        var nobody = new AppUser();
        var hash = LazyInitializer.EnsureInitialized(ref _hash, () => hasher.HashPassword(nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
        _ = hasher.VerifyHashedPassword(nobody, hash, password);
    }
}
