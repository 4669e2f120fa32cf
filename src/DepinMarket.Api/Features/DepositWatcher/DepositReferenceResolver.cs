using Npgsql;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// Which market account a vault deposit's <c>bytes32</c> reference names. The one seam between the watcher and the
/// deposit-reference scheme: the watcher credits the account this returns, or holds the deposit in suspense on null.
/// </summary>
public interface IDepositReferenceResolver
{
    /// <returns>The account's id, or null when the reference names no existing account.</returns>
    Task<Guid?> ResolveAsync(byte[] reference, CancellationToken cancellationToken);
}

/// <summary>
/// The watcher's own stand-in scheme: 16 zero bytes, then the account's UUID in its big-endian (RFC 9562) byte
/// order; the account must exist. Replaced by the deposit-reference feature's scheme when both are merged.
/// </summary>
internal sealed class UuidDepositReferenceResolver(NpgsqlDataSource dataSource) : IDepositReferenceResolver
{
    public static byte[] ReferenceOf(Guid accountId)
    {
        var reference = new byte[32];
        accountId.TryWriteBytes(reference.AsSpan(16), bigEndian: true, out _);
        return reference;
    }

    public async Task<Guid?> ResolveAsync(byte[] reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length != 32 || reference.AsSpan(0, 16).ContainsAnyExcept((byte)0))
        {
            return null;
        }
        var id = new Guid(reference.AsSpan(16), bigEndian: true);
        await using var command = dataSource.CreateCommand("select exists (select 1 from accounts where id = @id)");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is true ? id : null;
    }
}
