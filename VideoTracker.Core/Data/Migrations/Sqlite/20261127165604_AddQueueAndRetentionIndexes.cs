using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VideoTracker.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddQueueAndRetentionIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_jobs_ended_updated_at",
                table: "jobs",
                column: "updated_at",
                filter: "status IN ('completed', 'failed', 'cancelled')");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_pending_created_at",
                table: "jobs",
                column: "created_at",
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_at",
                table: "audit_entries",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_ended_updated_at",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_pending_created_at",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_at",
                table: "audit_entries");
        }
    }
}
