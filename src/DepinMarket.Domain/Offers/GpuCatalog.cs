using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DepinMarket.Domain.Offers;

/// <summary>A GPU model as the marketplace names it: the full name people read and a short name to filter by.</summary>
public sealed record GpuModel(string ShortName, string FullName, int VramGb);

/// <summary>
/// Normalises the many ways providers write a GPU ("h100", "NVIDIA H100 80GB HBM3", "H100 SXM5") to one
/// canonical model, so that search for gpu=H100 finds all of them. Unknown names are refused rather than
/// stored as typed: a free-text GPU column is how peers end up listing an H100 as "H1OO".
/// </summary>
public static class GpuCatalog
{
    public static IReadOnlyList<GpuModel> Models { get; } =
    [
        new("B200", "NVIDIA B200 192GB HBM3e", 192),
        new("H200", "NVIDIA H200 141GB HBM3e", 141),
        new("H100", "NVIDIA H100 80GB HBM3", 80),
        new("H100-PCIE", "NVIDIA H100 PCIe 80GB", 80),
        new("A100-80GB", "NVIDIA A100 80GB", 80),
        new("A100-40GB", "NVIDIA A100 40GB", 40),
        new("L40S", "NVIDIA L40S 48GB", 48),
        new("L4", "NVIDIA L4 24GB", 24),
        new("A10", "NVIDIA A10 24GB", 24),
        new("T4", "NVIDIA T4 16GB", 16),
        new("V100", "NVIDIA V100 32GB", 32),
        new("RTX-A6000", "NVIDIA RTX A6000 48GB", 48),
        new("RTX-5090", "NVIDIA GeForce RTX 5090 32GB", 32),
        new("RTX-4090", "NVIDIA GeForce RTX 4090 24GB", 24),
        new("RTX-3090", "NVIDIA GeForce RTX 3090 24GB", 24),
        new("MI300X", "AMD Instinct MI300X 192GB", 192),
    ];

    /// <summary>Extra spellings seen in the wild, beyond each model's short and full name.</summary>
    private static readonly (string Alias, string ShortName)[] ExtraAliases =
    [
        ("H100 SXM", "H100"), ("H100 SXM5", "H100"), ("H100 80GB", "H100"),
        ("H100 PCIe", "H100-PCIE"), ("A100 SXM4 80GB", "A100-80GB"), ("A100 PCIe 40GB", "A100-40GB"),
        ("Tesla T4", "T4"), ("Tesla V100", "V100"), ("RTX A6000", "RTX-A6000"),
    ];

    private static readonly string[] VendorWords = ["NVIDIA", "GEFORCE", "AMD", "INSTINCT", "TESLA"];

    private static readonly Dictionary<string, GpuModel> ByKey = BuildIndex();

    public static bool TryNormalise(string? name, [NotNullWhen(true)] out GpuModel? model)
    {
        model = null;
        return !string.IsNullOrWhiteSpace(name) && ByKey.TryGetValue(Key(name), out model);
    }

    public static string KnownShortNames => string.Join(", ", Models.Select(m => m.ShortName));

    private static Dictionary<string, GpuModel> BuildIndex()
    {
        var index = new Dictionary<string, GpuModel>(StringComparer.Ordinal);
        foreach (var model in Models)
        {
            index[Key(model.ShortName)] = model;
            index[Key(model.FullName)] = model;
        }
        foreach (var (alias, shortName) in ExtraAliases)
        {
            index[Key(alias)] = Models.Single(m => m.ShortName == shortName);
        }
        return index;
    }

    /// <summary>Upper case, letters and digits only, vendor words dropped: "NVIDIA GeForce RTX-4090" → "RTX4090".</summary>
    private static string Key(string name)
    {
        var words = name.ToUpperInvariant()
            .Split([' ', '-', '_', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !VendorWords.Contains(w));
        var key = new StringBuilder();
        foreach (var c in string.Concat(words))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                key.Append(c);
            }
        }
        return key.ToString();
    }
}
