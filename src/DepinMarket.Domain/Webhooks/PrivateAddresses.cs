using System.Net;
using System.Net.Sockets;

namespace DepinMarket.Domain.Webhooks;

/// <summary>
/// Addresses a webhook delivery must not reach unless the operator allows it: loopback, private (RFC 1918, unique
/// local), link-local (the cloud metadata service lives at 169.254.169.254), carrier-grade NAT, "this network",
/// multicast and unspecified. Without this rule any account could make the API send requests into its own network.
/// </summary>
public static class PrivateAddresses
{
    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xfe) == 0xfc;
        }
        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => true,
            100 => v4[1] is >= 64 and < 128,
            169 => v4[1] == 254,
            172 => v4[1] is >= 16 and < 32,
            192 => v4[1] == 168 || (v4[1] == 0 && v4[2] == 0),
            >= 224 => true,
            _ => false,
        };
    }
}
