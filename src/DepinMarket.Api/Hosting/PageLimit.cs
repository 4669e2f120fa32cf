using System.Globalization;
using DepinMarket.Domain;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// The "limit" query parameter of every paged list, read one way: digits only (no sign, spaces or culture), from 1 to
/// the list's maximum, the list's default when absent.
/// </summary>
public static class PageLimit
{
    /// <returns>The limit, or null with <paramref name="error"/> saying why not.</returns>
    public static int? TryParse(string? text, int defaultLimit, int max, out string error)
    {
        error = "";
        if (text is null)
        {
            return defaultLimit;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }
        error = $"must be a whole number from 1 to {max}; got \"{text}\".";
        return null;
    }

    /// <exception cref="ValidationFailedException">The limit is not a whole number in range; the 400 names "limit".</exception>
    public static int Parse(string? text, int defaultLimit, int max) =>
        TryParse(text, defaultLimit, max, out var error) ?? throw ValidationFailedException.For("limit", error);

    /// <summary>The list's <paramref name="parameter"/> query parameter ("limit" unless the list names it otherwise), read as <see cref="Parse"/> does.</summary>
    /// <exception cref="ValidationFailedException">Not a whole number in range; the 400 names <paramref name="parameter"/>.</exception>
    public static int FromQuery(IQueryCollection query, int defaultLimit, int max, string parameter = "limit") =>
        TryParse(query[parameter].Count > 0 ? query[parameter].ToString() : null, defaultLimit, max, out var error)
            ?? throw ValidationFailedException.For(parameter, error);
}
