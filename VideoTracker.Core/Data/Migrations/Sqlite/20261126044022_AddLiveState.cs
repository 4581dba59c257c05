using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VideoTracker.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddLiveState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "cancel_requested_at",
                table: "jobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "current_frame",
                table: "jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "eta_seconds",
                table: "jobs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "fps",
                table: "jobs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "total_frames",
                table: "jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "worker",
                table: "jobs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cancel_requested_at",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "current_frame",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "eta_seconds",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "fps",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "total_frames",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "worker",
                table: "jobs");
        }
    }
}
