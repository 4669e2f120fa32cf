using System.Text.Json;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// The provider's access details for a rental: a small map of names to values, stored as a JSON object. Checked
/// here so a script cannot store megabytes or names nobody could address.
/// </summary>
public static class RentalAccess
{
    public const int MaxEntries = 10;
    public const int MaxNameLength = 64;
    public const int MaxValueLength = 2000;

    /// <exception cref="ValidationFailedException">A rule broken, naming the entry.</exception>
    public static string? Serialize(IReadOnlyDictionary<string, string>? access)
    {
        if (access is null)
        {
            return null;
        }
        if (access.Count > MaxEntries)
        {
            throw ValidationFailedException.For("access", $"has {access.Count} entries; at most {MaxEntries}.");
        }
        foreach (var (name, value) in access)
        {
            if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                throw ValidationFailedException.For("access", $"entry names are 1 to {MaxNameLength} letters, digits, \"_\", \"-\" or \".\"; \"{Shorten(name)}\" is not.");
            }
            if (value is null || value.Length is 0 or > MaxValueLength)
            {
                throw ValidationFailedException.For($"access.{name}", $"must be 1 to {MaxValueLength} characters.");
            }
        }
        return JsonSerializer.Serialize(access);
    }

    public static IReadOnlyDictionary<string, string>? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);

    private static string Shorten(string name) => name.Length > MaxNameLength ? name[..MaxNameLength] + "…" : name;
}
