using System.Net;

namespace VideoTracker.App.Accounts;

/// <summary>Addresses and CIDR ranges from <c>Auth:TrustedProxies</c>.</summary>
public sealed class TrustedNetworks
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    public TrustedNetworks(IEnumerable<string> entries) =>
        _networks = [.. entries.Select(e => TryParse(e, out var n) ? n : throw new FormatException($"Not an address or range: {e}"))];

    public bool IsEmpty => _networks.Count == 0;

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _networks.Any(n => n.Contains(address));
    }

    public static bool TryParse(string entry, out IPNetwork network)
    {
        entry = entry.Trim();
        if (IPAddress.TryParse(entry, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(entry, out network);
    }
}
