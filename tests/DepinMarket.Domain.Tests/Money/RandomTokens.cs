using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Tests.Money;

/// <summary>
/// A seeded source of base-unit values for property tests: the edges that break code (0, 1, one token
/// either side, 2^256-1) first, then values whose bit length is drawn uniformly from 1 to 256, so tiny, token-sized
/// and chain-sized values are all common. A failing case is reproduced by its seed and index.
/// </summary>
internal sealed class RandomTokens(int seed)
{
    public static readonly BigInteger Max = TokenAmount.MaxBaseUnits;

    public static readonly BigInteger OneToken = BigInteger.Pow(10, TokenAmount.Decimals);

    public static IReadOnlyList<BigInteger> Edges { get; } =
        [BigInteger.Zero, BigInteger.One, 2, OneToken - 1, OneToken, OneToken + 1, BigInteger.Pow(2, 128), Max / 2, Max - 1, Max];

    private readonly Random _random = new(seed);

    /// <summary>A value from 0 to 2^256-1.</summary>
    public BigInteger BaseUnits()
    {
        var bits = _random.Next(1, 257);
        var bytes = new byte[(bits + 7) / 8];
        _random.NextBytes(bytes);
        var excess = bytes.Length * 8 - bits;
        bytes[^1] &= (byte)(0xFF >> excess);
        return new BigInteger(bytes, isUnsigned: true);
    }

    /// <summary>A value from 0 to <paramref name="max"/>.</summary>
    public BigInteger BaseUnitsUpTo(BigInteger max)
    {
        var value = BaseUnits();
        return max.IsZero ? BigInteger.Zero : value % (max + 1);
    }

    public int Next(int minValue, int maxValue) => _random.Next(minValue, maxValue);

    public bool Coin() => _random.Next(2) == 0;

    /// <summary>The edges, then <paramref name="count"/> random values.</summary>
    public IEnumerable<BigInteger> Samples(int count) => Edges.Concat(Enumerable.Range(0, count).Select(_ => BaseUnits()));

    public IEnumerable<TokenAmount> Amounts(int count) => Samples(count).Select(b => new TokenAmount(b));

    /// <summary>Edges and random values with random signs, including -(2^256-1).</summary>
    public IEnumerable<TokenDelta> Deltas(int count) =>
        Edges.SelectMany(e => new[] { e, -e })
            .Concat(Enumerable.Range(0, count).Select(_ => Coin() ? BaseUnits() : -BaseUnits()))
            .Select(b => new TokenDelta(b));
}
