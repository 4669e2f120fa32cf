using System.Globalization;
using System.Linq.Expressions;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>One filter the client asked for, as typed ("gpu=H100") and as SQL.</summary>
public sealed record AppliedFilter<TOffer>(string Text, Expression<Func<TOffer, bool>> Predicate);

/// <summary>A search request after strict parsing: nothing the client sent was ignored.</summary>
public sealed record SearchRequest<TOffer>(
    IReadOnlyList<AppliedFilter<TOffer>> Filters, string SortName, SortOrder<TOffer> Sort, SearchCursor? Cursor, int Limit,
    bool Mine, OfferStatus? Status)
    where TOffer : Offer;

/// <summary>
/// What a search over one kind of offer accepts. Parsing is strict: an unknown parameter, a repeated one,
/// or a value that does not parse is a 400 that lists what is allowed. Peers that drop unknown filters
/// hand users H100s when they asked for an RTX 5090 with a typo.
/// </summary>
public sealed class SearchSchema<TOffer> where TOffer : Offer
{
    public required string Noun { get; init; }

    public required IReadOnlyList<SearchFilter<TOffer>> Filters { get; init; }

    public required IReadOnlyDictionary<string, SortOrder<TOffer>> Sorts { get; init; }

    public required string DefaultSort { get; init; }

    public SearchRequest<TOffer> Parse(IQueryCollection query)
    {
        var errors = new Validation();
        var filters = new List<AppliedFilter<TOffer>>();
        var allowed = Filters.Select(f => f.Name).Concat(SearchParameters.Common.Keys).ToList();
        foreach (var (name, values) in query)
        {
            if (!QueryParameters.Accept(name, values, allowed, $"filter of {Noun} search", errors) || SearchParameters.Common.ContainsKey(name))
            {
                continue;
            }
            var filter = Filters.First(f => f.Name == name);
            try
            {
                filters.Add(new AppliedFilter<TOffer>($"{name}={values[0]}", filter.Predicate(values[0] ?? "")));
            }
            catch (FilterValueException ex)
            {
                errors.Add(name, ex.Message);
            }
        }

        var sortName = query["sort"].FirstOrDefault() ?? DefaultSort;
        if (!Sorts.TryGetValue(sortName, out var sort))
        {
            errors.Add("sort", $"\"{sortName}\" is not a sort order; allowed: {string.Join(", ", Sorts.Keys)}.");
            sort = Sorts[DefaultSort];
        }
        var limit = ParseLimit(query["limit"].FirstOrDefault(), errors);
        var mine = ParseMine(query["mine"].FirstOrDefault(), errors);
        var status = ParseStatus(query["status"].FirstOrDefault(), mine, errors);
        SearchCursor? cursor = null;
        if (query["cursor"].FirstOrDefault() is { } token)
        {
            try
            {
                cursor = SearchCursor.Decode(token, sortName);
                if (!sort.IsValidKey(cursor.Key))
                {
                    throw new FilterValueException(SearchCursor.NotIssued);
                }
            }
            catch (FilterValueException ex)
            {
                errors.Add("cursor", ex.Message);
            }
        }
        errors.ThrowIfInvalid();
        return new SearchRequest<TOffer>(filters, sortName, sort, cursor, limit, mine, status);
    }

    private static int ParseLimit(string? text, Validation errors)
    {
        if (PageLimit.TryParse(text, SearchParameters.DefaultLimit, SearchParameters.MaxLimit, out var error) is { } limit)
        {
            return limit;
        }
        errors.Add("limit", error);
        return SearchParameters.DefaultLimit;
    }

    private static bool ParseMine(string? text, Validation errors)
    {
        switch (text)
        {
            case null or "false":
                return false;
            case "true":
                return true;
            default:
                errors.Add("mine", $"must be true or false; got \"{text}\".");
                return false;
        }
    }

    private static OfferStatus? ParseStatus(string? text, bool mine, Validation errors)
    {
        if (text is null)
        {
            return null;
        }
        if (!mine)
        {
            errors.Add("status", "can only be used with mine=true; the market shows active offers only.");
            return null;
        }
        if (!Filter.TryParseName<OfferStatus>(text, out var status))
        {
            errors.Add("status", $"must be one of draft, active, paused, retired; got \"{text}\".");
            return null;
        }
        return status;
    }
}

/// <summary>The paging and scope parameters every search accepts besides its filters.</summary>
public static class SearchParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Paging and scope parameters every search accepts besides the filters.</summary>
    public static IReadOnlyDictionary<string, string> Common { get; } = new Dictionary<string, string>
    {
        ["sort"] = "Sort order.",
        ["limit"] = $"Page size, 1 to {MaxLimit} (default {DefaultLimit}).",
        ["cursor"] = "The nextCursor of the previous page, unchanged.",
        ["mine"] = "true: the caller's own offers in every status (drafts included) instead of the active market.",
        ["status"] = "With mine=true: only offers in this status (draft, active, paused, retired).",
    };
}
