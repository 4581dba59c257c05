using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoTracker.Core.Data;

/// <summary>
/// The schema predates the snake_case naming convention, which would rename what already exists. These names stay:
/// <list type="bullet">
/// <item>Identity's columns keep their property names (<c>users.UserName</c>), and so do the migrations history's
/// (<c>__EFMigrationsHistory.MigrationId</c>);</item>
/// <item>keys, foreign keys and unnamed indexes keep EF's default names (<c>PK_jobs</c>,
/// <c>FK_api_keys_users_user_id</c>, <c>IX_user_roles_RoleId</c>).</item>
/// </list>
/// Our own columns were already snake_case, so the convention names them as before.
/// </summary>
internal static class NamesBeforeTheConvention
{
    public static void Keep(IMutableModel model)
    {
        foreach (var entity in model.GetEntityTypes())
        {
            if (IsIdentityType(entity.ClrType))
            {
                KeepPropertyNames(entity);
            }

            KeepDefaultConstraintNames(entity);
        }
    }

    public static void KeepPropertyNames(IMutableEntityType entity)
    {
        foreach (var property in entity.GetProperties())
        {
            property.SetColumnName(property.Name);
        }
    }

    public static void KeepDefaultConstraintNames(IMutableEntityType entity)
    {
        foreach (var key in entity.GetDeclaredKeys())
        {
            key.SetName(key.GetDefaultName());
        }

        foreach (var foreignKey in entity.GetDeclaredForeignKeys())
        {
            foreignKey.SetConstraintName(foreignKey.GetDefaultName());
        }

        foreach (var index in entity.GetDeclaredIndexes()
            .Where(i => ((IConventionIndex)i).GetDatabaseNameConfigurationSource() != ConfigurationSource.Explicit))
        {
            index.SetDatabaseName(index.GetDefaultDatabaseName());
        }
    }

    public static void KeepHistoryTable(EntityTypeBuilder<HistoryRow> history)
    {
        KeepPropertyNames(history.Metadata);
        KeepDefaultConstraintNames(history.Metadata);
    }

    private static bool IsIdentityType(Type? type) =>
        type is not null && (type.Namespace == typeof(IdentityUser).Namespace || IsIdentityType(type.BaseType));
}

// The naming convention reaches the migrations history table too (EFCore.NamingConventions#1, open): without these,
// EF would look for __EFMigrationsHistory.migration_id in every existing database. Each provider's history repository
// is the documented place to configure that table; it is an internal EF type, hence EF1001.
#pragma warning disable EF1001
internal sealed class SqliteHistoryKeepingNames(HistoryRepositoryDependencies dependencies)
    : Microsoft.EntityFrameworkCore.Sqlite.Migrations.Internal.SqliteHistoryRepository(dependencies)
{
    protected override void ConfigureTable(EntityTypeBuilder<HistoryRow> history)
    {
        base.ConfigureTable(history);
        NamesBeforeTheConvention.KeepHistoryTable(history);
    }
}

internal sealed class PostgresHistoryKeepingNames(HistoryRepositoryDependencies dependencies)
    : Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal.NpgsqlHistoryRepository(dependencies)
{
    protected override void ConfigureTable(EntityTypeBuilder<HistoryRow> history)
    {
        base.ConfigureTable(history);
        NamesBeforeTheConvention.KeepHistoryTable(history);
    }
}
#pragma warning restore EF1001
