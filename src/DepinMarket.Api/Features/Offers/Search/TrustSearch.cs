using System.Globalization;
using System.Linq.Expressions;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>
/// The filters and sorts every offer kind has on reliability: the provider's reputation (its standing, refreshed by
/// Reputation:RefreshInterval) and the offer's node uptime over 30 days (refreshed by the node monitor). An offer with
/// no node has no uptime and an unscored provider no reputation: such offers never pass a minimum and sort last.
/// </summary>
public static class TrustSearch
{
    public static IEnumerable<SearchFilter<TOffer>> Filters<TOffer>() where TOffer : Offer =>
    [
        new("minReputation", "Providers with at least this reputation, 0 to 100 (GET /v1/providers/{id}/reputation).", "60",
            text => WithStanding<TOffer>(Percent("minReputation", text)), FilterValueType.WholeNumber),
        new("minUptime", "Offers whose node was up at least this percent of the last 30 days, 0 to 100.", "99",
            text => NodeUpAtLeast<TOffer>(Percent("minUptime", text) * 100), FilterValueType.WholeNumber),
    ];

    /// <param name="price">The offer's price column, for the "value" sort.</param>
    public static IEnumerable<KeyValuePair<string, SortOrder<TOffer>>> Sorts<TOffer>(Expression<Func<TOffer, Domain.Money.TokenAmount>> price) where TOffer : Offer =>
    [
        new("value", SortOrder.CheapestFirst(ValueKey(price),
            "Cheapest per point of provider reputation first (price ÷ reputation; an unscored provider counts as 0.1).")),
        new("reputation", SortOrder.HighestFirst<TOffer>(o => o.Provider!.Standing == null ? -1m : o.Provider.Standing.Score,
            "Highest provider reputation first.")),
        new("uptime", SortOrder.HighestFirst<TOffer>(o => o.Node == null || o.Node.Uptime30dBps == null ? -1 : o.Node.Uptime30dBps.Value,
            "Highest node uptime over 30 days first.")),
    ];

    /// <summary>o => PricePerReputation.Of(price(o), o.Provider.Standing == null ? 0 : o.Provider.Standing.Score).</summary>
    private static Expression<Func<TOffer, Domain.Money.TokenAmount>> ValueKey<TOffer>(Expression<Func<TOffer, Domain.Money.TokenAmount>> price) where TOffer : Offer
    {
        Expression<Func<TOffer, decimal>> score = o => o.Provider!.Standing == null ? 0m : o.Provider.Standing.Score;
        var offer = price.Parameters[0];
        var scoreBody = ParameterReplacer.Replace(score.Body, score.Parameters[0], offer);
        var call = Expression.Call(typeof(PricePerReputation).GetMethod(nameof(PricePerReputation.Of))!, price.Body, scoreBody);
        return Expression.Lambda<Func<TOffer, Domain.Money.TokenAmount>>(call, offer);
    }

    private static Expression<Func<TOffer, bool>> WithStanding<TOffer>(int minimum) where TOffer : Offer
    {
        var floor = (decimal)minimum;
        return o => o.Provider!.Standing != null && o.Provider.Standing.Score >= floor;
    }

    private static Expression<Func<TOffer, bool>> NodeUpAtLeast<TOffer>(int bps) where TOffer : Offer =>
        o => o.Node != null && o.Node.Uptime30dBps >= bps;

    private static int Percent(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100
            ? value
            : throw new FilterValueException($"must be a whole number from 0 to 100; got \"{text}\".");
}
