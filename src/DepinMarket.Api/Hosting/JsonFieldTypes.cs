using System.Reflection;
using System.Text.Json;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// Says in words what a request field must hold ("a whole number between 1 and ..."), found from the
/// request type by the field's JSON path, for the 400 that answers a value JSON could not read.
/// </summary>
internal static class JsonFieldTypes
{
    public static string Describe(Type? requestType, string path, IServiceProvider services)
    {
        var (type, property) = Resolve(requestType, path);
        if (type is null)
        {
            return "a value of the type the API document gives";
        }
        // The domain's range where the request type states it ([Accepts] for one that moves with the clock or the
        // configuration, [Range] for a fixed one), not the range of the .NET type that holds it.
        if (property?.GetCustomAttribute<AcceptsAttribute>() is { } accepts)
        {
            return ((IAcceptedValues)services.GetRequiredService(accepts.Rule)).Accepted;
        }
        return property?.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>() is { } range
            ? $"a whole number from {range.Minimum} to {range.Maximum}"
            : Describe(type);
    }

    private static (Type? Type, PropertyInfo? Property) Resolve(Type? type, string path)
    {
        PropertyInfo? property = null;
        foreach (var segment in path.Split('.'))
        {
            if (type is null)
            {
                return (null, null);
            }
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == name);
            type = property?.PropertyType;
            if (type is not null && bracket >= 0)
            {
                type = type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();
            }
        }
        return (type, property);
    }

    private static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var core = underlying ?? type;
        var text = core switch
        {
            _ when core == typeof(int) => "a whole number from -2147483648 to 2147483647",
            _ when core == typeof(long) => "a whole number from -9223372036854775808 to 9223372036854775807",
            _ when core == typeof(bool) => "true or false",
            _ when core == typeof(Guid) => "a UUID string",
            _ when core == typeof(string) => "a string",
            _ when core == typeof(TokenAmount) => $"a token amount: a decimal string of whole tokens such as \"2.5\", at most {TokenAmount.Decimals} decimals, not a JSON number",
            _ when core == typeof(TokenDelta) => $"a signed token amount: a decimal string of whole tokens such as \"-2.5\", at most {TokenAmount.Decimals} decimals, not a JSON number",
            _ when core.IsEnum => "one of " + string.Join(", ", Enum.GetNames(core).Select(n => $"\"{JsonNamingPolicy.SnakeCaseLower.ConvertName(n)}\"")),
            _ when core.IsArray => "a JSON array",
            _ => "a value of the type the API document gives",
        };
        return underlying is null ? text : text + ", or null";
    }
}

/// <summary>States, in the API's own terms, which values a request field accepts now.</summary>
internal interface IAcceptedValues
{
    /// <summary>Completes "must be …", e.g. "unix seconds (…) from 1767225630 to 1767229200".</summary>
    string Accepted { get; }
}

/// <summary>
/// Names the service (an <see cref="IAcceptedValues"/>) that says what a request field accepts when that depends on
/// the clock or the configuration, for the 400 that answers a value JSON could not read (a deadline beyond any
/// whole number, say): the API's own range, never the .NET type's.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AcceptsAttribute(Type rule) : Attribute
{
    public Type Rule => rule;
}
