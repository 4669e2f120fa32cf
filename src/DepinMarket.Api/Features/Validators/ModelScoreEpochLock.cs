using Npgsql;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// Keeps a submission and the close of its epoch apart: a submission holds the epoch's lock shared while it checks
/// that the epoch is open and writes, the closer holds it exclusively while it reads the scores and closes. A
/// submission that read the clock just before its epoch ended is then either in the close or refused as closed,
/// never stored after the close read the scores. Transaction-scoped, so a crash releases it. Per epoch: the closer,
/// which closes finished epochs, never waits for submissions to the current one.
/// </summary>
internal static class ModelScoreEpochLock
{
    /// <summary>"msce": the lock class of the two-key advisory locks, a space of its own beside the one-key locks elsewhere.</summary>
    private const int LockClass = 0x6d736365;

    public static Task SharedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long epoch, CancellationToken cancellationToken) =>
        TakeAsync("select pg_advisory_xact_lock_shared(@class, @epoch)", connection, transaction, epoch, cancellationToken);

    public static Task ExclusiveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long epoch, CancellationToken cancellationToken) =>
        TakeAsync("select pg_advisory_xact_lock(@class, @epoch)", connection, transaction, epoch, cancellationToken);

    private static async Task TakeAsync(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, long epoch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("class", LockClass);
        // Epochs 2^32 apart share a key: they only ever wait for each other, which is harmless.
        command.Parameters.AddWithValue("epoch", unchecked((int)epoch));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
