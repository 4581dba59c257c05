using Microsoft.AspNetCore.Identity;

namespace VideoTracker.Core.Accounts;

/// <summary>A person (or a proxy-signed-in user) of this server. Identity keeps the password hash, lockout and security stamp.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>A disabled user cannot sign in; their sessions and API keys stop working at once.</summary>
    public bool Disabled { get; set; }

    public DateTime CreatedAt { get; set; }
}
