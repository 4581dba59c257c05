using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Support;

/// <summary>A real Kestrel server on 127.0.0.1 (random port) that serves one file at <c>/files/{name}</c>.</summary>
public sealed class LocalFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalFileServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Requests { get; private set; }

    public Uri UrlOf(string name) => new(BaseAddress, "files/" + name);

    public static async Task<LocalFileServer> StartAsync(string filePath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LocalFileServer? server = null;
        app.MapGet("/files/{name}", (string name) =>
        {
            server!.Requests++;
            return name == Path.GetFileName(filePath)
                ? Microsoft.AspNetCore.Http.Results.File(filePath, "application/octet-stream")
                : Microsoft.AspNetCore.Http.Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LocalFileServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
