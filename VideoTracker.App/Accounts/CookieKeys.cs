using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using VideoTracker.Core.Storage;

namespace VideoTracker.App.Accounts;

/// <summary>
/// The keys that encrypt the sign-in cookie (and antiforgery tokens) live in the data folder, under one application
/// name. ASP.NET Core's defaults kept them in the user's profile and tied them to the folder the app runs from, so a
/// new version installed in another folder, a container without that profile, or a second <c>web</c> node could not
/// read the cookies already issued, and everyone was signed out.
/// </summary>
internal static class CookieKeys
{
    public const string ApplicationName = "VideoTracker";

    public const string FolderName = "keys";

    public static void AddCookieKeys(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<DataPaths, ILoggerFactory>((options, paths, logs) =>
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(paths.Root, FolderName)), logs));
    }
}
