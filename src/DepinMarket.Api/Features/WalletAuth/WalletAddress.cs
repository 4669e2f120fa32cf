using DepinMarket.Chain.Util;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.WalletAuth;

/// <summary>Parses a wallet address from a request; a bad one is a 400 on <c>field</c> saying why (length, hex, checksum).</summary>
public static class WalletAddress
{
    public static EthereumAddress Parse(string? text, string field)
    {
        try
        {
            return EthereumAddress.Parse(text ?? "");
        }
        catch (InvalidAddressException ex)
        {
            throw ValidationFailedException.For(field, ex.Message);
        }
    }
}
