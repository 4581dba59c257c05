using Microsoft.AspNetCore.Components.Server.Circuits;

namespace VideoTracker.App.Components.Services;

/// <summary>
/// Whether this circuit's browser is connected now. A closed or sleeping tab leaves its circuit kept for a while in
/// case it comes back; <see cref="Shared.PollingTimer"/> skips its ticks meanwhile, as a render then would run its
/// components' JavaScript calls (MudChart's among them) into a <c>JSDisconnectedException</c> for the log.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    private volatile bool _connected = true;

    public bool IsConnected => _connected;

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _connected = true;
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _connected = false;
        return Task.CompletedTask;
    }
}
