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
        }
    }
}
