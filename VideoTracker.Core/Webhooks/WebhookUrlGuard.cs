using System.Net;
using System.Net.Sockets;

namespace VideoTracker.Core.Webhooks;

/// <summary>
/// The server-side request forgery guard: only http and https, and (unless
/// <see cref="WebhookOptions.AllowPrivateNetworks"/>) no loopback, link-local (169.254.169.254 included),
/// private, unique-local, unspecified, multicast or other non-public address (see <see cref="IsForbidden"/>),
/// checked after DNS resolution, at submit and again on every connection, so a name that later resolves
/// elsewhere is refused too.
/// </summary>
public sealed class WebhookUrlGuard(IOptions<WebhookOptions> options)
{
    public bool AllowPrivateNetworks => options.Value.AllowPrivateNetworks;

    /// <summary>Why <paramref name="url"/> is not an absolute http(s) URL, or null.</summary>
    public static string? CheckSyntax(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "only absolute http:// or https:// URLs are accepted.";
        }

        return uri.UserInfo.Length > 0 ? "credentials in the URL are not accepted." : null;
    }

    /// <summary>Why the server will not call <paramref name="url"/>, or null when it will.</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (CheckSyntax(url) is { } error)
        {
            return error;
        }

        var host = new Uri(url).IdnHost;
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return $"the host '{host}' could not be resolved.";
        }

        if (addresses.Length == 0)
        {
            return $"the host '{host}' could not be resolved.";
        }

        return !AllowPrivateNetworks && addresses.FirstOrDefault(IsForbidden) is { } bad
            ? $"'{host}' resolves to {bad}, a loopback, link-local, private, unique-local or other non-public address (set Webhooks:AllowPrivateNetworks=true to allow it)."
            : null;
    }

    /// <summary>
    /// The connection step of the webhook client: resolves the host itself and connects only to an
    /// allowed address.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = AllowPrivateNetworks ? addresses : [.. addresses.Where(a => !IsForbidden(a))];
        if (allowed.Length == 0)
        {
            throw new WebhookRefusedException($"'{context.DnsEndPoint.Host}' resolves to no address that webhooks may reach.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Loopback, link-local, private (RFC 1918, 100.64/10), unique-local, unspecified, multicast, or another
    /// special-purpose range that is not the public internet (benchmarking, documentation, reserved). An IPv6
    /// address that carries an IPv4 one (mapped, translated, compatible, NAT64, 6to4) is judged by that IPv4 address;
    /// Teredo, which hides it, is refused.
    /// </summary>
    public static bool IsForbidden(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? IsForbiddenV6(address) : IsForbiddenV4(address.GetAddressBytes());
    }

    private static bool IsForbiddenV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6Teredo
            || (b[0] & 0xFE) == 0xFC                                    // fc00::/7 unique-local
            || StartsWith(b, 0x01, 0x00, 0, 0, 0, 0, 0, 0)              // 100::/64 discard-only
            || StartsWith(b, 0x20, 0x01, 0x0D, 0xB8)                    // 2001:db8::/32 documentation
            || StartsWith(b, 0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01))       // 64:ff9b:1::/48 local-use NAT64
        {
            return true;
        }

        if (StartsWith(b, 0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0)   // 64:ff9b::/96 NAT64
            || StartsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)            // ::/96 IPv4-compatible (deprecated)
            || StartsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0))     // ::ffff:0:0:0/96 IPv4-translated (SIIT)
        {
            return IsForbiddenV4(b[12..]);
        }

        return StartsWith(b, 0x20, 0x02) && IsForbiddenV4(b[2..6]);        // 2002::/16 6to4
    }

    private static bool IsForbiddenV4(byte[] v4) =>
        v4[0] == 0                                              // 0.0.0.0/8
        || v4[0] == 10                                          // 10/8
        || v4[0] == 127                                         // 127/8
        || (v4[0] == 169 && v4[1] == 254)                       // link-local, cloud metadata
        || (v4[0] == 172 && v4[1] >= 16 && v4[1] <= 31)         // 172.16/12
        || (v4[0] == 192 && v4[1] == 168)                       // 192.168/16
        || (v4[0] == 100 && v4[1] >= 64 && v4[1] <= 127)        // 100.64/10 (shared address space)
        || (v4[0] == 192 && v4[1] == 0 && v4[2] is 0 or 2)      // 192.0.0/24 protocol assignments, 192.0.2/24 documentation
        || (v4[0] == 198 && v4[1] is 18 or 19)                  // 198.18/15 benchmarking
        || (v4[0] == 198 && v4[1] == 51 && v4[2] == 100)        // 198.51.100/24 documentation
        || (v4[0] == 203 && v4[1] == 0 && v4[2] == 113)         // 203.0.113/24 documentation
        || v4[0] >= 224;                                        // multicast and reserved

    private static bool StartsWith(byte[] bytes, params ReadOnlySpan<byte> prefix) => bytes.AsSpan().StartsWith(prefix);
}

/// <summary>A webhook URL that the guard refuses at connection time; never retried.</summary>
public sealed class WebhookRefusedException(string message) : HttpRequestException(message);
