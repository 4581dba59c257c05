namespace VideoTracker.App.Security;

public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>When set, every /v1 request needs this value in <c>X-Api-Key</c>. The UI works without it.</summary>
    public string? ApiKey { get; init; }
}
