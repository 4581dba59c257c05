using MudBlazor.Services;
using VideoTracker.App.Api;
using VideoTracker.App.Components;
using VideoTracker.App.Components.Services;
using VideoTracker.Core;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseStaticWebAssets();   // blazor.web.js and MudBlazor's assets under `dotnet run` in Production too (no-op when published)
builder.AddVideoTrackerCore();          // Core: db, queue, workers, plugins, detection
builder.AddVideoTrackerApi();           // snake_case JSON, ProblemDetails, OpenAPI
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddVideoTrackerUi();   // scoped job service for the pages

var app = builder.Build();
app.UseExceptionHandler();
app.UseVideoTrackerApiErrors();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapVideoApi();                      // /v1/video/...
app.MapJobsApi();                       // /v1/jobs/...
app.MapJobFilesApi();                   // /v1/jobs/{id}/export, /video
app.MapPluginsApi();                    // /v1/plugins
app.MapUiUpload();                      // /ui/upload (browser uploads, antiforgery)
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
