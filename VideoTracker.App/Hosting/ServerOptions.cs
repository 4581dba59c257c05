namespace VideoTracker.App.Hosting;

/// <summary>Where the app is served: under a path of its own, behind a reverse proxy that serves other sites beside it.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>
    /// The path the app is served under, such as <c>/videotracker</c>; empty (the default) serves it at the root. The
    /// proxy passes the path on as the browser sent it, prefix included.
    /// </summary>
    public string PathBase { get; init; } = string.Empty;

    /// <summary>
    /// Empty, or <c>/</c> followed by segments of letters, digits, <c>-</c>, <c>.</c>, <c>_</c> and <c>~</c> (no <c>.</c> or
    /// <c>..</c> segment, no trailing <c>/</c>): the page's base address is this path with a <c>/</c> after it.
    /// </summary>
    public static bool IsValidPathBase(string pathBase) =>
        pathBase.Length == 0
        || (pathBase[0] == '/'
            && pathBase.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~')
            && pathBase[1..].Split('/').All(segment => segment is not ("" or "." or "..")));
}
