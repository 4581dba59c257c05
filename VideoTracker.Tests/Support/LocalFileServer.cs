using Microsoft.AspNetCore.Builder;

namespace VideoTracker.Tests.Support;

/// <summary>A real Kestrel server on 127.0.0.1 (random port) that serves one file at <c>/files/{name}</c>.</summary>
public sealed class LocalFileServer : IAsyncDisposable
{
    private LoopbackServer? _server;

    private LocalFileServer()
    {
    }

    public Uri BaseAddress => _server!.BaseAddress;

    public int Requests { get; private set; }

    public Uri UrlOf(string name) => new(BaseAddress, "files/" + name);

    public static async Task<LocalFileServer> StartAsync(string filePath)
    {
        var files = new LocalFileServer();
        files._server = await LoopbackServer.StartAsync(app => app.MapGet("/files/{name}", (string name) =>
        {
            files.Requests++;
            return name == Path.GetFileName(filePath)
                ? Microsoft.AspNetCore.Http.Results.File(filePath, "application/octet-stream")
                : Microsoft.AspNetCore.Http.Results.NotFound();
        }));
        return files;
    }

    public ValueTask DisposeAsync() => _server!.DisposeAsync();
}
