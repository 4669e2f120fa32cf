using DepinMarket.Domain.Deposits;
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
/// The account's deposit reference (<see cref="DepositReference"/>, docs/decisions/0012) mapped back to an account
/// that exists; anything else names no account, and its deposit is held in suspense.
/// </summary>
internal sealed class AccountDepositReferenceResolver(NpgsqlDataSource dataSource) : IDepositReferenceResolver
{
    public async Task<Guid?> ResolveAsync(byte[] reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!DepositReference.TryGetAccountId(reference, out var id))
        {
            return null;
        }
        await using var command = dataSource.CreateCommand("select exists (select 1 from accounts where id = @id)");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is true ? id : null;
    }
}
