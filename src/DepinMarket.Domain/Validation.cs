namespace DepinMarket.Domain;

/// <summary>
/// Collects field errors so that a client learns about every wrong field in one round trip,
/// then throws them together. Field names are the JSON property names the client sent.
/// </summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
    }

    public void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }
    }

    public void InRange(long value, long min, long max, string field)
    {
        if (value < min || value > max)
        {
            Add(field, $"must be between {min} and {max}; got {value}.");
        }
    }

    public void NotBlank(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required.");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters; got {value.Length}.");
        }
    }

    /// <summary>Records an error under <paramref name="field"/> for a zero amount (a price that gives things away).</summary>
    public void Positive(Money.TokenAmount amount, string field) => Require(!amount.IsZero, field, "must be greater than zero.");

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new ValidationFailedException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
