using DepinMarket.Domain.Geography;

namespace DepinMarket.Domain.Offers;

/// <summary>Where hardware stands: an ISO 3166 country code and, optionally, a city.</summary>
public sealed record Location(string CountryCode, string? City)
{
    public static Location Parse(Validation v, string? countryCode, string? city, string field = "region")
    {
        if (!CountryCodes.TryNormalise(countryCode, out var code))
        {
            v.Add(field, $"must be an ISO 3166-1 alpha-2 country code such as \"DE\" or \"US\"; got \"{countryCode}\".");
        }
        var trimmedCity = string.IsNullOrWhiteSpace(city) ? null : city.Trim();
        if (trimmedCity is { Length: > 100 })
        {
            v.Add("city", "must be at most 100 characters.");
        }
        return new Location(code, trimmedCity);
    }
}
