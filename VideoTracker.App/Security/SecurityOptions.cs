namespace VideoTracker.App.Security;

public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>A service key for scripts: sent as <c>X-Api-Key</c> or <c>Authorization: Bearer</c>, it acts with the admin role.</summary>
    public string? ApiKey { get; init; }
}
