using MudBlazor.Services;
using VideoTracker.App;
using VideoTracker.App.Accounts;
using VideoTracker.App.Api;
using VideoTracker.App.Components;
using VideoTracker.App.Components.Services;
using VideoTracker.App.CrossOrigin;
using VideoTracker.App.Health;
using VideoTracker.App.Hosting;
using VideoTracker.App.Nodes;
using VideoTracker.App.Security;
using VideoTracker.Core;

var builder = WebApplication.CreateBuilder(HostingDefaults.Options(args));
builder.ExplainStartupFailures();       // a bad setting, folder or address: one sentence at start-up, not the host's stack trace
builder.WebHost.UseStaticWebAssets();    // MudBlazor's assets from a build folder too, not only in Development
builder.WithoutStaticAssetFallback();   // an unknown address answers 404 for every method, as when published (not 405)
builder.AddVideoTrackerCore();          // Core: db, queue, workers, plugins, detection
builder.AddVideoTrackerApi();           // snake_case JSON, ProblemDetails, OpenAPI
builder.AddVideoTrackerCrossOrigin();   // Cors:AllowedOrigins
builder.AddVideoTrackerSecurity();      // Security:ApiKey (the service key)
builder.AddVideoTrackerAccounts();      // Identity, cookie + API key + proxy header, role policies, login rate limit
builder.AddVideoTrackerHealth();        // /health/live, /health/ready
builder.AddVideoTrackerPathBase();      // Server:PathBase, under a reverse proxy's sub-path
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddVideoTrackerUi();   // scoped job service for the pages

var app = builder.Build();
app.UseVideoTrackerPathBase();          // Server:PathBase, then routing on the path after it
app.UseRelativeRedirects();             // a redirect to this origin as a path: right behind a proxy that drops the port from Host
app.UseForwardedClient();               // behind a proxy in Auth:TrustedProxies: the client's address and scheme
app.UseExceptionHandler();
app.UseVideoTrackerNodeRole();            // Node:Role=worker answers only /health/live and /health/ready
app.UseVideoTrackerCrossOrigin();       // CORS on /v1, before any authentication: preflights are never refused
app.UseVideoTrackerSecurity();          // security headers
app.UseVideoTrackerNotFoundPage();      // a GET that matches nothing (outside /v1): 404 with the app's "Page not found" page
app.UseVideoTrackerApiErrors();
app.UseVideoTrackerAccounts();          // authentication, cross-site cookie guard, login rate limit, authorization
app.UseAntiforgery();
app.MapStaticAssets();
app.MapOpenApi("/openapi/{documentName}.json").AnswerHeadLikeGet()
    .RequireAuthorization(AuthNames.ViewerPolicy);   // like /v1: an anonymous caller learns nothing of the API
app.MapVideoTrackerHealth();            // open to probes

// Every /v1 and /ui route needs a signed-in viewer at least; writes need more (see each group).
var api = app.MapGroup(string.Empty)
    .RequireAuthorization(AuthNames.ViewerPolicy)
    .AddEndpointFilter<JobAccessFilter>()    // others' jobs: 404 with Auth:JobVisibility=own, 403 on change
    .AddEndpointFilter<JobIdFilter>()        // a malformed {jobId}: 400, before any other value is judged
    .ChecksValueRanges()                     // a parameter's [Range]: 400 with its one sentence before the handler runs
    .AnswerHeadLikeGet()                     // HEAD wherever GET: same status and headers, no body
    .DocumentsCommonErrors();                // OpenAPI: 401/403, a JSON body's 400/415, a job id's 400/404
api.MapAccountsApi();                   // /v1/auth, /v1/keys, /v1/users, /v1/audit
api.MapVideoApi();                      // /v1/video/...
api.MapJobsApi();                       // /v1/jobs and /v1/jobs/{id}: export, video, annotated, preview, series,
                                        //   evaluate, tracks, events, heatmap, webhooks (one group, id parsed once)
api.MapPluginsApi();                    // /v1/plugins
api.MapNodesApi();                      // /v1/nodes (admin)
api.MapUiUpload();                      // /ui/upload (browser uploads, antiforgery)
app.MapAccountPages();                  // POST /logout and the account pages' form posts
app.MapRazorComponents<App>().AddInteractiveServerRenderMode()
    .RequireAuthorization(AuthNames.ViewerPolicy);   // /login and /setup allow anonymous visitors
return await app.RunOrExplainAsync();   // bad configuration: one clear line on stderr, exit code 1

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
