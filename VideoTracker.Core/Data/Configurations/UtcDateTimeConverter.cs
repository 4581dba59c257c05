using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace VideoTracker.Core.Data.Configurations;

/// <summary>
/// UTC in, UTC out, for every <see cref="DateTime"/> (and <see cref="Nullable{DateTime}"/>) property; applied once in
/// <see cref="VideoTrackerDbContext"/>'s <c>ConfigureConventions</c>. SQLite has no date type and keeps dates as ISO
/// text (which sorts correctly) without a kind; PostgreSQL's <c>timestamp with time zone</c> takes only UTC.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
