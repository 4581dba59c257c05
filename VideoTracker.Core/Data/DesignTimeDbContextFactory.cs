using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace VideoTracker.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<VideoTrackerDbContext>
{
    public VideoTrackerDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<VideoTrackerDbContext>()
            .UseSqlite("Data Source=design-time.db")
            .Options;
        return new VideoTrackerDbContext(options);
    }
}
