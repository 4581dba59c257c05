using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// Cuts a page's Blazor circuit at will, as a network drop does: the page's WebSockets to /_blazor go through
/// Playwright, so they can be closed, and while the cut lasts a new connection waits at its negotiation. Install it
/// before the page opens, since only WebSockets opened afterwards are routed.
/// </summary>
public sealed partial class CircuitCut
{
    private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _sockets = [];
    private TaskCompletionSource? _cut;

    private CircuitCut()
    {
    }

    public static async Task<CircuitCut> InstallAsync(IPage page)
    {
        var cut = new CircuitCut();
        await page.RouteWebSocketAsync(BlazorHub(), socket =>
        {
            lock (cut._sockets)
            {
                cut._sockets.Add((socket, socket.ConnectToServer()));
            }
        });
        await page.RouteAsync(Negotiation(), async route =>
        {
            if (cut._cut is { } held)
            {
                await held.Task;
            }

            try
            {
                await route.ContinueAsync();
            }
            catch (PlaywrightException)
            {
                // The page that asked has gone (reloaded) while it waited.
            }
        });
        return cut;
    }

    /// <summary>Closes the circuit's connection; Blazor's attempts to reconnect wait until <see cref="Restore"/>.</summary>
    public async Task CutAsync()
    {
        _cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
        lock (_sockets)
        {
            open = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var (page, server) in open)
        {
            await page.CloseAsync();
            await server.CloseAsync();
        }
    }

    /// <summary>Lets Blazor reconnect: the circuit the server still holds comes back.</summary>
    public void Restore() => Interlocked.Exchange(ref _cut, null)?.TrySetResult();

    /// <summary>
    /// Reloads the page while the circuit is still cut, as Blazor does when the server has forgotten the circuit (it
    /// restarted): the old page never reconnects, and the reloaded one opens a new circuit.
    /// </summary>
    public async Task ReloadAsync(IPage page)
    {
        var held = Interlocked.Exchange(ref _cut, null);
        await page.ReloadAsync();
        held?.TrySetResult();
    }

    [GeneratedRegex(@"/_blazor(\?|$)")]
    private static partial Regex BlazorHub();

    [GeneratedRegex(@"/_blazor/negotiate")]
    private static partial Regex Negotiation();
}

/// <summary>Holds the New job page's upload request (<c>POST /ui/upload</c>) until the test lets it go on or breaks it.</summary>
public sealed class HeldUpload
{
    private readonly TaskCompletionSource<IRoute> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HeldUpload()
    {
    }

    public static async Task<HeldUpload> InstallAsync(IPage page)
    {
        var upload = new HeldUpload();
        await page.RouteAsync("**/ui/upload", route =>
        {
            upload._held.TrySetResult(route);
            return Task.CompletedTask;
        });
        return upload;
    }

    /// <summary>The request, once the page has sent it.</summary>
    public Task<IRoute> RequestAsync() => _held.Task.WaitAsync(TimeSpan.FromSeconds(30));
}
