namespace VideoTracker.Core.Accounts;

/// <summary>The three roles. Each user holds exactly one; each role includes what the ones below it may do.</summary>
public static class AppRoles
{
    /// <summary>Everything, including users and the audit log.</summary>
    public const string Admin = "admin";

    /// <summary>Submits jobs; cancels and deletes their own.</summary>
    public const string Member = "member";

    /// <summary>Reads jobs, results and downloads; changes nothing.</summary>
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Member, Viewer];

    public static bool IsKnown(string? role) => role is Admin or Member or Viewer;
}
