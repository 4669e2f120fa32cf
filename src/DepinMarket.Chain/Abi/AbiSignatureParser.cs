namespace DepinMarket.Chain.Abi;

/// <summary>
/// Parses human-readable signatures: "transfer(address,uint256)",
/// "Transfer(address indexed from,address indexed to,uint256 value)", "submit((address,uint256,bytes32)[],uint64)".
/// Parameter names and the "indexed" keyword are kept; they do not take part in the canonical signature.
/// </summary>
internal static class AbiSignatureParser
{
    internal static (string Name, List<AbiParameter> Parameters) Parse(string signature, bool allowIndexed)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var text = signature.Trim();
        foreach (var keyword in new[] { "function ", "event ", "error " })
        {
            if (text.StartsWith(keyword, StringComparison.Ordinal))
            {
                text = text[keyword.Length..].TrimStart();
            }
        }

        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = MatchingParenthesis(text, open);
        if (open <= 0 || close < 0 || text[(close + 1)..].Trim().Length != 0)
        {
            throw new FormatException($"'{signature}' is not a signature like name(type1,type2).");
        }

        var name = text[..open].Trim();
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$') || char.IsAsciiDigit(name[0]))
        {
            throw new FormatException($"'{name}' is not a valid function or event name.");
        }

        var parameters = SplitTopLevel(text[(open + 1)..close]).Select(p => ParseParameter(p, allowIndexed)).ToList();
        return (name, parameters);
    }

    /// <summary>"type [indexed] [name]", where type may be a parenthesised tuple with its own named components.</summary>
    internal static AbiParameter ParseParameter(string parameter, bool allowIndexed)
    {
        var text = parameter.Trim();
        var depth = 0;
        var typeEnd = text.Length;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (char.IsWhiteSpace(c) && depth == 0)
            {
                typeEnd = i;
                break;
            }
        }

        var type = AbiType.Parse(text[..typeEnd]);
        var rest = text[typeEnd..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var indexed = false;
        string? name = null;
        foreach (var word in rest)
        {
            if (word == "indexed" && !indexed && name is null)
            {
                if (!allowIndexed)
                {
                    throw new FormatException($"'indexed' is only valid on event parameters: '{parameter}'.");
                }

                indexed = true;
            }
            else if (word is "memory" or "calldata" or "storage")
            {
                // Solidity data locations may be copied along from source; they do not change the ABI.
            }
            else if (name is null)
            {
                name = word;
            }
            else
            {
                throw new FormatException($"Cannot parse parameter '{parameter}'.");
            }
        }

        return new AbiParameter(type, name, indexed);
    }

    /// <summary>Splits on commas that are not inside parentheses. An empty or blank input gives no parts.</summary>
    internal static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return parts;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth < 0)
                    {
                        throw new FormatException($"Unbalanced parentheses in '{text}'.");
                    }

                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException($"Unbalanced parentheses in '{text}'.");
        }

        parts.Add(text[start..]);
        if (parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"Empty parameter in '{text}'.");
        }

        return parts;
    }

    private static int MatchingParenthesis(string text, int open)
    {
        if (open < 0)
        {
            return -1;
        }

        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
