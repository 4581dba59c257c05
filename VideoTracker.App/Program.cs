using MudBlazor.Services;
using VideoTracker.App;
using VideoTracker.App.Api;
using VideoTracker.App.Components;
using VideoTracker.App.Components.Services;
using VideoTracker.App.CrossOrigin;
using VideoTracker.App.Health;
using VideoTracker.App.Security;
using VideoTracker.Core;

var builder = WebApplication.CreateBuilder(HostingDefaults.Options(args));
builder.WebHost.UseStaticWebAssets();    // MudBlazor's assets from a build folder too, not only in Development
builder.AddVideoTrackerCore();          // Core: db, queue, workers, plugins, detection
builder.AddVideoTrackerApi();           // snake_case JSON, ProblemDetails, OpenAPI
builder.AddVideoTrackerCrossOrigin();   // Cors:AllowedOrigins
builder.AddVideoTrackerSecurity();      // Security:ApiKey
builder.AddVideoTrackerHealth();        // /health/live, /health/ready
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddVideoTrackerUi();   // scoped job service for the pages

var app = builder.Build();
app.UseExceptionHandler();
app.UseVideoTrackerCrossOrigin();       // CORS on /v1, before any authentication: preflights are never refused
app.UseVideoTrackerSecurity();          // security headers, API key on /v1, UI session cookie
app.UseVideoTrackerApiErrors();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapVideoTrackerHealth();
app.MapVideoApi();                      // /v1/video/...
app.MapJobsApi();                       // /v1/jobs/...
app.MapJobFilesApi();                   // /v1/jobs/{id}/export, /video, /annotated, /preview
app.MapTrackingApi();                   // /v1/jobs/{id}/evaluate, /tracks, /tracks/{track_id}/thumbnail
app.MapCountingApi();                   // /v1/jobs/{id}/events, /heatmap
app.MapWebhooksApi();                   // /v1/jobs/{id}/webhooks
app.MapPluginsApi();                    // /v1/plugins
app.MapUiUpload();                      // /ui/upload (browser uploads, antiforgery)
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
return await app.RunOrExplainAsync();   // bad configuration: one clear line on stderr, exit code 1

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
