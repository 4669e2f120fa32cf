namespace DepinMarket.Domain.Deposits;

/// <summary>
/// The <c>bytes32</c> that names an account in the vault's <c>deposit(account, amount)</c> and its <c>Deposited</c>
/// event: 16 zero bytes, then the account's id in RFC 4122 byte order (ADR 0012). Derived, not stored, so every
/// account has one from the moment it exists and the watcher maps a log back without a lookup table; a reference that
/// does not have this shape, or names no account, is money for the suspense account.
/// </summary>
public static class DepositReference
{
    public const int Length = 32;

    private const int PrefixLength = 16;

    /// <summary>The 32 bytes for <paramref name="accountId"/>.</summary>
    public static byte[] For(Guid accountId)
    {
        if (accountId == Guid.Empty)
        {
            // Its reference would be all zeros, which the vault refuses (ZeroAccount); no account has this id.
            throw new ArgumentException("The empty id names no account.", nameof(accountId));
        }
        var reference = new byte[Length];
        accountId.TryWriteBytes(reference.AsSpan(PrefixLength), bigEndian: true, out _);
        return reference;
    }

    /// <summary>The reference as 0x + 64 lowercase hex digits, as block explorers and <c>cast</c> print a bytes32.</summary>
    public static string HexFor(Guid accountId) => "0x" + Convert.ToHexStringLower(For(accountId));

    /// <summary>
    /// The account id a reference names, if it has the shape of one: 32 bytes, the first 16 zero, the rest not all
    /// zero. Whether an account with that id exists is for the database to say.
    /// </summary>
    public static bool TryGetAccountId(ReadOnlySpan<byte> reference, out Guid accountId)
    {
        accountId = Guid.Empty;
        if (reference.Length != Length || reference[..PrefixLength].ContainsAnyExcept((byte)0))
        {
            return false;
        }
        accountId = new Guid(reference[PrefixLength..], bigEndian: true);
        return accountId != Guid.Empty;
    }

    /// <summary>The account id of a reference written as 0x + 64 hex digits (either case); false for any other text.</summary>
    public static bool TryGetAccountId(string? hex, out Guid accountId)
    {
        accountId = Guid.Empty;
        if (hex is not { Length: 2 + 2 * Length } || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[Length];
        return Convert.FromHexString(hex.AsSpan(2), bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == Length
            && TryGetAccountId(bytes, out accountId);
    }
}
