using System.Numerics;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Rlp;

namespace DepinMarket.Chain.Util;

/// <summary>Contract address arithmetic (Nethereum: <c>ContractUtils</c>).</summary>
public static class ContractUtils
{
    /// <summary>The CREATE address: the last 20 bytes of keccak256(rlp([sender, nonce])).</summary>
    public static EthereumAddress CalculateContractAddress(EthereumAddress sender, BigInteger nonce)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nonce);
        var rlp = RlpEncoder.Encode(RlpItem.List(RlpItem.FromBytes(sender.ToArray()), RlpItem.FromBigInteger(nonce)));
        return new EthereumAddress(Sha3Keccack.Hash(rlp).AsSpan(12));
    }
}
