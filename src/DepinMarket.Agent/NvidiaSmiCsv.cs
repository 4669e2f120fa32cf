using System.Globalization;

namespace DepinMarket.Agent;

/// <summary>
/// Reads the default CSV of <c>nvidia-smi --query-gpu=… --format=csv</c>: a header such as
/// <c>index, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB], temperature.gpu</c> and rows such as
/// <c>0, NVIDIA H100 80GB HBM3, 37 %, 1024 MiB, 81559 MiB, 45</c>. Columns are found by their header name (units in
/// brackets dropped), not by position, so a driver that orders them differently is still read right.
/// </summary>
public static class NvidiaSmiCsv
{
    /// <summary>The query whose output <see cref="Parse"/> reads.</summary>
    public static readonly string[] Arguments =
        ["--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu", "--format=csv"];

    private const string NameColumn = "name";

    /// <summary>
    /// The GPUs in <paramref name="output"/>; empty output means none. A value nvidia-smi cannot give ("[N/A]",
    /// "[Not Supported]") is null. Throws <see cref="FormatException"/> when the text is not this CSV at all.
    /// </summary>
    public static IReadOnlyList<GpuReading> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
        {
            return [];
        }
        var header = Fields(lines[0]).Select(ColumnName).ToList();
        if (!header.Contains("index") || !header.Contains(NameColumn))
        {
            throw new FormatException($"nvidia-smi printed no 'index, name, …' header; its first line was: {lines[0]}");
        }
        return [.. lines.Skip(1).Select(line => Row(header, line))];
    }

    private static GpuReading Row(List<string> header, string line)
    {
        var fields = Fields(line);
        var nameAt = header.IndexOf(NameColumn);
        if (fields.Count > header.Count)
        {
            // nvidia-smi does not quote: a comma inside a GPU name splits it, so the surplus belongs to the name.
            var surplus = fields.Count - header.Count;
            fields[nameAt] = string.Join(", ", fields.GetRange(nameAt, surplus + 1));
            fields.RemoveRange(nameAt + 1, surplus);
        }
        if (fields.Count != header.Count)
        {
            throw new FormatException($"nvidia-smi printed a row with {fields.Count} values under {header.Count} columns: {line}");
        }
        string? Field(string column) => header.IndexOf(column) is var at and >= 0 ? fields[at] : null;
        return new GpuReading(
            Number(Field("index")) ?? throw new FormatException($"nvidia-smi printed a row without a GPU index: {line}"),
            fields[nameAt],
            Number(Field("utilization.gpu")),
            Number(Field("memory.used")),
            Number(Field("memory.total")),
            Number(Field("temperature.gpu")));
    }

    private static List<string> Fields(string line) => [.. line.Split(',').Select(f => f.Trim())];

    /// <summary>"utilization.gpu [%]" → "utilization.gpu".</summary>
    private static string ColumnName(string header) =>
        (header.IndexOf('[', StringComparison.Ordinal) is var at and >= 0 ? header[..at] : header).Trim().ToLowerInvariant();

    /// <summary>"37 %" → 37, "1024 MiB" → 1024, "[N/A]" / "[Not Supported]" / anything else unreadable → null.</summary>
    private static int? Number(string? field)
    {
        var number = field?.Split(' ', 2)[0];
        return decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue
            ? (int)Math.Round(value, MidpointRounding.AwayFromZero)
            : null;
    }
}
