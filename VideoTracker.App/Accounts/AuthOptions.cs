using System.ComponentModel.DataAnnotations;

namespace VideoTracker.App.Accounts;

/// <summary>Accounts and access: <c>Auth:*</c>.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>Off keeps the old open behaviour, for a trusted single-user machine (loopback only unless <see cref="AllowAnonymousNetwork"/>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Lets an app with <see cref="Enabled"/> off listen on a non-loopback address.</summary>
    public bool AllowAnonymousNetwork { get; init; }

    /// <summary><c>shared</c>: every signed-in user sees every job. <c>own</c>: members and viewers see only their own.</summary>
    [Required]
    public string JobVisibility { get; init; } = "shared";

    /// <summary>Creates this admin at start when no user exists (for automation).</summary>
    public InitialAdminOptions InitialAdmin { get; init; } = new();

    /// <summary>A header such as <c>Remote-User</c> that a trusted reverse proxy sets to the signed-in user's name.</summary>
    public string? ProxyHeader { get; init; }

    /// <summary>Addresses or CIDR ranges whose connections may set <see cref="ProxyHeader"/>.</summary>
    public string[] TrustedProxies { get; init; } = [];

    /// <summary>The role of a user first seen through the proxy header.</summary>
    public string ProxyDefaultRole { get; init; } = AppRoles.Viewer;

    /// <summary>Sign-in attempts per client address per minute, on /login and POST /v1/auth/login.</summary>
    [Range(1, 10_000)]
    public int LoginAttemptsPerMinute { get; init; } = 10;

    public bool OwnJobsOnly => string.Equals(JobVisibility, "own", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JobVisibility is not ("shared" or "own"))
        {
            yield return new ValidationResult("Auth:JobVisibility must be 'shared' or 'own'.", [nameof(JobVisibility)]);
        }

        if (!AppRoles.IsKnown(ProxyDefaultRole))
        {
            yield return new ValidationResult("Auth:ProxyDefaultRole must be admin, member or viewer.", [nameof(ProxyDefaultRole)]);
        }

        foreach (var proxy in TrustedProxies)
        {
            if (!TrustedNetworks.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"Auth:TrustedProxies: '{proxy}' is neither an address nor a CIDR range.", [nameof(TrustedProxies)]);
            }
        }

        if (!string.IsNullOrEmpty(InitialAdmin.Username) != !string.IsNullOrEmpty(InitialAdmin.Password))
        {
            yield return new ValidationResult("Auth:InitialAdmin needs both Username and Password.", [nameof(InitialAdmin)]);
        }
    }
}

public sealed class InitialAdminOptions
{
    public string? Username { get; init; }

    public string? Password { get; init; }
}
