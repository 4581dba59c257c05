using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;

namespace VideoTracker.Tests.Support;

/// <summary>A real Kestrel server on 127.0.0.1 (random port) that serves one file at <c>/files/{name}</c>.</summary>
public sealed class LocalFileServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly StrongBox<int> _requests;

    private LocalFileServer(LoopbackServer server, StrongBox<int> requests)
    {
        _server = server;
        _requests = requests;
    }

    public Uri BaseAddress => _server.BaseAddress;

    public int Requests => Volatile.Read(ref _requests.Value);

    public Uri UrlOf(string name) => new(BaseAddress, "files/" + name);

    public static async Task<LocalFileServer> StartAsync(string filePath)
    {
        var requests = new StrongBox<int>();
        var server = await LoopbackServer.StartAsync(app => app.MapGet("/files/{name}", (string name) =>
        {
            Interlocked.Increment(ref requests.Value);
            return name == Path.GetFileName(filePath)
                ? Microsoft.AspNetCore.Http.Results.File(filePath, "application/octet-stream")
                : Microsoft.AspNetCore.Http.Results.NotFound();
        }));
        return new LocalFileServer(server, requests);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
