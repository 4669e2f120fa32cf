using System.Globalization;
using System.Numerics;
using DepinMarket.Chain.Rpc;

/// <summary>
/// The largest payout (all recipients new holders, the dearest case) one transaction can carry under a gas limit
/// (the block's, or EIP-7825's per-transaction cap): predicted from the measured marginal and fixed gas, confirmed
/// with eth_estimateGas on fresh recipients around the prediction, then sent at exactly that gas limit (it must be
/// mined) and one recipient more (it must run out of gas). The same for the library's own path, which asks
/// eth_estimateGas and adds its 20 % headroom (ChainOptions.GasHeadroomPercent) as the settlement worker will: the
/// largest batch it can send, and the refusal at the size that only fits without headroom. A gas limit one above the
/// limit shows the node refuses it. Prints lines and one "RESULT gas-bound ..." line.
/// </summary>
internal static class GasLimitProbe
{
    /// <summary>EIP-7825 (Osaka): no transaction may ask for more than 2^24 gas, whatever the block gas limit.</summary>
    public static readonly BigInteger Eip7825TransactionGasCap = 1 << 24;

    private const int HeadroomPercent = 20; // ChainOptions.GasHeadroomPercent's default, which GasChain keeps

    public static async Task RunAsync(GasChain chain, string name, BigInteger limit, double marginal, double fixedGas, CancellationToken ct)
    {
        var simple = (int)Math.Floor((double)limit / marginal);
        var predicted = (int)Math.Floor(((double)limit - fixedGas) / marginal);
        var largest = await LargestAsync(chain, predicted, estimate => estimate <= limit, ct);
        var withHeadroomLimit = limit * 100 / (100 + HeadroomPercent);
        var largestWithHeadroom = await LargestAsync(chain, (int)Math.Floor(((double)withHeadroomLimit - fixedGas) / marginal),
            estimate => WithHeadroom(estimate) <= limit, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name} gas limit {limit}: limit / marginal = {simple}, (limit - fixed) / marginal = {predicted}, largest by eth_estimateGas = {largest}, with the library's {HeadroomPercent} % headroom = {largestWithHeadroom}"));

        var fits = await SendAsync(chain, largest, limit, ct);
        var oneMore = await SendAsync(chain, largest + 1, limit, ct);
        var overLimit = await SendAsync(chain, 1, limit + 1, ct);
        var libraryPath = await SendAsync(chain, largestWithHeadroom, null, ct);
        var libraryPathAtLargest = await SendAsync(chain, largest, null, ct);
        Console.WriteLine($"    {largest} recipients at gas {limit}: {fits}");
        Console.WriteLine($"    {largest + 1} recipients at gas {limit}: {oneMore}");
        Console.WriteLine($"    1 recipient at gas {limit + 1}: {overLimit}");
        Console.WriteLine($"    {largestWithHeadroom} recipients, estimate + {HeadroomPercent} %: {libraryPath}");
        Console.WriteLine($"    {largest} recipients, estimate + {HeadroomPercent} %: {libraryPathAtLargest}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT gas-bound limit_name={name} limit={limit} marginal={marginal:F1} fixed={fixedGas:F0} simple={simple} predicted={predicted} largest={largest} " +
            $"largest_status={fits.Status} largest_gas_used={fits.GasUsed} next_status={oneMore.Status} next_gas_used={oneMore.GasUsed} over_limit_status={overLimit.Status} " +
            $"largest_with_headroom={largestWithHeadroom} headroom_status={libraryPath.Status} headroom_gas_used={libraryPath.GasUsed} headroom_at_largest_status={libraryPathAtLargest.Status}"));
    }

    /// <summary>The largest n, searched from <paramref name="guess"/> one step at a time, whose payout's estimate passes <paramref name="fits"/>.</summary>
    private static async Task<int> LargestAsync(GasChain chain, int guess, Func<BigInteger, bool> fits, CancellationToken ct)
    {
        var n = Math.Max(1, guess);
        if (await FitsAsync(chain, n, fits, ct))
        {
            while (await FitsAsync(chain, n + 1, fits, ct))
            {
                n++;
            }
            return n;
        }
        while (n > 1 && !await FitsAsync(chain, n - 1, fits, ct))
        {
            n--;
        }
        return n - 1;
    }

    private static async Task<bool> FitsAsync(GasChain chain, int n, Func<BigInteger, bool> fits, CancellationToken ct)
    {
        try
        {
            return fits(await chain.EstimateAsync(GasChain.Payout(GasChain.FreshAddresses(n), GasChain.Amounts(n)), ct));
        }
        catch (RpcException)
        {
            return false; // more than the node lets an estimate use
        }
    }

    private static BigInteger WithHeadroom(BigInteger estimate) => ((estimate * (100 + HeadroomPercent)) + 99) / 100; // TransactionManager's rounding

    /// <summary>A payout of <paramref name="n"/> fresh recipients at that gas limit (null: estimate + headroom): mined, reverted, or refused.</summary>
    private static async Task<Outcome> SendAsync(GasChain chain, int n, BigInteger? gas, CancellationToken ct)
    {
        try
        {
            var receipt = await chain.PayoutAsync(GasChain.Payout(GasChain.FreshAddresses(n), GasChain.Amounts(n), gas), ct);
            return new Outcome(receipt.Succeeded() ? "mined" : "reverted", receipt.GasUsed, null);
        }
        catch (RpcException ex)
        {
            return new Outcome("refused", BigInteger.Zero, $"{ex.Kind}: {ex.RpcMessage ?? ex.Message}");
        }
    }

    private sealed record Outcome(string Status, BigInteger GasUsed, string? Error)
    {
        public override string ToString() => Status switch
        {
            "refused" => $"refused by the node ({Error})",
            _ => string.Create(CultureInfo.InvariantCulture, $"{Status}, gasUsed {GasUsed:N0}"),
        };
    }
}
