using DepinMarket.Domain.Nodes;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>A page of results, the cursor for the next one, and, when nothing matched, which filter emptied it.</summary>
public sealed record SearchPage<TItem>(IReadOnlyList<TItem> Items, string? NextCursor, string? Explanation);

public static class OfferSearch
{
    /// <summary>
    /// Counts in explanations stop here: "more than 10000" is as useful to a person as the exact figure, and
    /// a capped COUNT costs at most this many index entries instead of a scan of a million-row table.
    /// </summary>
    public const int ExplanationCountCap = 10_000;

    public static async Task<SearchPage<TOffer>> RunAsync<TOffer>(
        IQueryable<TOffer> offers, SearchRequest<TOffer> request, Guid callerId, string noun, CancellationToken cancellationToken)
        where TOffer : Offer
    {
        var scope = Scope(offers, request, callerId);
        var filtered = request.Filters.Aggregate(scope, (q, f) => q.Where(f.Predicate));
        var ordered = request.Sort.Order(request.Cursor is { } c ? request.Sort.After(filtered, c.Key, c.Id) : filtered);
        // One row more than asked tells whether there is a next page without a COUNT.
        var rows = await ordered.AsNoTracking().Include(o => o.Node).Include(o => o.Provider!.Standing).Take(request.Limit + 1).ToListAsync(cancellationToken);

        string? next = null;
        if (rows.Count > request.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = new SearchCursor(request.SortName, request.Sort.KeyOf(last), last.Id).Encode();
        }
        var explanation = rows.Count == 0 && request.Cursor is null
            ? await ExplainEmpty(scope, request, noun, cancellationToken)
            : null;
        return new SearchPage<TOffer>(rows, next, explanation);
    }

    private static IQueryable<TOffer> Scope<TOffer>(IQueryable<TOffer> offers, SearchRequest<TOffer> request, Guid callerId)
        where TOffer : Offer
    {
        if (!request.Mine)
        {
            // A constant, not a parameter: PostgreSQL then matches the partial indexes (WHERE status = 'active').
            // An offer whose node is not up (down, or never beat) is not listed: renting it would rent a dead machine.
            return offers.Where(o => o.Status == OfferStatus.Active && (o.NodeId == null || o.Node!.Status == NodeStatus.Up));
        }
        var mine = offers.Where(o => o.ProviderId == callerId);
        return request.Status is { } status ? mine.Where(o => o.Status == status) : mine;
    }

    /// <summary>
    /// Adds the filters back one at a time, in the order given, and names the first one that brings the
    /// count to zero: "12 active compute offers match gpu=H100; 0 of them also match maxPricePerGpuHour=1.0".
    /// Runs only for an empty first page, where it costs a few capped COUNTs and saves a user a guessing game.
    /// The page was read with every filter and found nothing, so the count with every filter is known to be zero
    /// and is never run: proving a zero is the expensive count (it must look at every candidate row), and it is
    /// the page query's work done a second time.
    /// </summary>
    private static async Task<string> ExplainEmpty<TOffer>(
        IQueryable<TOffer> scope, SearchRequest<TOffer> request, string noun, CancellationToken cancellationToken)
        where TOffer : Offer
    {
        var what = request.Mine ? $"of your {noun}" : $"active {noun}";
        var total = await CappedCount(scope, request.Sort, cancellationToken);
        var filters = request.Filters;
        if (total == 0 || filters.Count == 0)
        {
            return $"There are no {what}{(request.Mine && request.Status is { } s ? $" with status {s.ToString().ToLowerInvariant()}" : "")}.";
        }

        // The first filter that empties the result: the last one at the latest.
        var emptying = filters.Count - 1;
        var matching = total;
        var query = scope;
        for (var i = 0; i < filters.Count - 1; i++)
        {
            query = query.Where(filters[i].Predicate);
            var count = await CappedCount(query, request.Sort, cancellationToken);
            if (count == 0)
            {
                emptying = i;
                break;
            }
            matching = count;
        }
        return emptying == 0
            ? $"{Describe(total)} {what} exist; 0 of them match {filters[0].Text}."
            : $"{Describe(matching)} {what} match {string.Join(" and ", filters.Take(emptying).Select(f => f.Text))}; 0 of them also match {filters[emptying].Text}.";
    }

    /// <summary>
    /// Counts up to the cap, in the page's own order: the rows a limited count stops at are then the first rows of
    /// the page order, which the index that served the page yields without a sort (and EF Core has no row limit
    /// without an ORDER BY to warn about).
    /// </summary>
    private static Task<int> CappedCount<TOffer>(IQueryable<TOffer> query, SortOrder<TOffer> sort, CancellationToken cancellationToken)
        where TOffer : Offer =>
        sort.Order(query).Take(ExplanationCountCap + 1).CountAsync(cancellationToken);

    private static string Describe(int count) => count > ExplanationCountCap ? $"More than {ExplanationCountCap}" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
