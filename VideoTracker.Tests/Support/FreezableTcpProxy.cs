using System.Net;
using System.Net.Sockets;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A real TCP listener on 127.0.0.1 that forwards every connection to a server (PostgreSQL) until
/// <see cref="Freeze"/>; from then on it behaves as a frozen server (a SIGSTOPped postmaster): it still accepts
/// connections, and neither forwards nor answers anything, on new connections or on those already open, until
/// <see cref="Thaw"/>.
/// </summary>
public sealed class FreezableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly DnsEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _frozen;
    private bool _disposed;

    public FreezableTcpProxy(string host, int port)
    {
        _target = new DnsEndPoint(host, port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A PostgreSQL connection string that goes through this proxy, with its other settings kept.</summary>
    public static FreezableTcpProxy ForPostgres(string connectionString, out string throughProxy)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var proxy = new FreezableTcpProxy(builder.Host!, builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = proxy.Port;
        throughProxy = builder.ConnectionString;
        return proxy;
    }

    /// <summary>From now on nothing passes in either direction, and new connections are accepted and left silent.</summary>
    public void Freeze() => _frozen = true;

    /// <summary>
    /// The server answers again: new connections are forwarded. Those opened or used while frozen stay silent, as a
    /// client has given up on them by then.
    /// </summary>
    public void Thaw() => _frozen = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_open)
            {
                _open.Add(client);
            }

            if (!_frozen)
            {
                _ = ForwardAsync(client);
            }
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_open)
        {
            _open.Add(server);
        }

        try
        {
            await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            await Task.WhenAny(PumpAsync(client.GetStream(), server.GetStream()), PumpAsync(server.GetStream(), client.GetStream()));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The test ended or one side closed.
        }
    }

    /// <summary>Copies until either side closes; once frozen, holds what it reads instead of passing it on.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        while (!_stop.IsCancellationRequested)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            if (_frozen)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }
}
