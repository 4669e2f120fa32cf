namespace DepinMarket.Chain.Abi;

/// <summary>One function/event parameter: its type, optional name, and (events only) whether it is indexed.</summary>
public sealed record AbiParameter(AbiType Type, string? Name = null, bool Indexed = false);
