using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using VideoTracker.Core.Data;
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
        services.AddSingleton<IStartupTask, FirstKey>();
    }

    /// <summary>
    /// Loads the keys, making the first when there is none, as start-up work: on PostgreSQL inside the start-up lock,
    /// so nodes that start together on one data folder share one key. Left to the host, each made its own after the
    /// lock, and a node that had loaded only its own refused the others' cookies once its first two minutes had passed.
    /// </summary>
    private sealed class FirstKey(IDataProtectionProvider protection) : IStartupTask
    {
        public string Name => "cookie keys";

        public Task RunAsync(CancellationToken cancellationToken)
        {
            // Protecting anything loads the key ring, which makes its first key when the folder has none.
            _ = protection.CreateProtector(ApplicationName).Protect([0]);
            return Task.CompletedTask;
        }
    }
}
