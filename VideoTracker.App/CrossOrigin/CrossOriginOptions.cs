namespace VideoTracker.App.CrossOrigin;

/// <summary>Browsers on other origins (such as the ForgeSyte web UI on its own dev server) that may call /v1.</summary>
public sealed class CrossOriginOptions
{
    public const string Section = "Cors";

    /// <summary>Origins such as <c>http://localhost:3000</c>, or <c>*</c> for any. Empty (the default) allows none.</summary>
    public string[] AllowedOrigins { get; init; } = [];

    /// <summary>An origin is <c>*</c> or a scheme, host and optional port, with nothing after them.</summary>
    public static bool IsValidOrigin(string origin) =>
        origin == "*"
        || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.GetLeftPart(UriPartial.Authority).Equals(origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
