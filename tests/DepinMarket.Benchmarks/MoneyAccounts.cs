using System.Globalization;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Npgsql;

/// <summary>
/// money-accounts --url API --conn C --count N --tokens T --out FILE
/// Accounts for the money-moving load runs of scripts/bench.sh, made the way a client makes them: signed up through
/// the API with a fresh wallet, the wallet verified through wallet sign-in (challenge, personal_sign, verify), and
/// funded with T tokens as a deposit from the chain posted through LedgerPoster (how tests/.../LedgerScenario funds
/// accounts: no endpoint creates tokens). FILE is a tab-separated table, one account a line, under a header of
/// "name:type" columns: the API key for wrk (scripts/bench/money-post.lua) and the ids the raw-SQL baseline binds
/// (sql-script-load --vars).
/// </summary>
internal static class MoneyAccounts
{
    public static async Task<int> RunAsync(Bench.Options o)
    {
        var url = new Uri(o.Get("url"));
        var count = o.GetInt("count", 16);
        var tokens = TokenAmount.Parse(o.Get("tokens"));
        using var http = new HttpClient { BaseAddress = url };
        await using var dataSource = NpgsqlDataSource.Create(o.Get("conn"));
        var lines = new List<string> { "api_key:text\taccount:uuid\tavailable:bigint\tsettling:bigint\twallet:text\tescrow:bigint" };
        for (var i = 0; i < count; i++)
        {
            var wallet = EthECKey.GenerateKey();
            var signUp = await BenchHttp.PostAsync(http, "/v1/accounts", null,
                new { displayName = $"bench client {i + 1}", roles = new[] { "client" }, walletAddress = wallet.GetPublicAddress() });
            var apiKey = signUp["apiKey"]!["key"]!.GetValue<string>();
            var accountId = signUp["account"]!["id"]!.GetValue<Guid>();
            var message = (await BenchHttp.PostAsync(http, "/v1/auth/challenge", null, new { address = wallet.GetPublicAddress() }))["message"]!.GetValue<string>();
            var verified = await BenchHttp.PostAsync(http, "/v1/auth/verify", apiKey,
                new { message, signature = EthereumMessageSigner.Current.EncodeUTF8AndSign(message, wallet) });
            if (verified["account"]!["walletVerified"]!.GetValue<bool>() is not true)
            {
                throw new InvalidOperationException($"the wallet of account {accountId} is not verified: {verified.ToJsonString()}");
            }
            var ledger = await FundAsync(dataSource, accountId, tokens);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{apiKey}\t{accountId}\t{ledger[LedgerAccountKind.Available]}\t{ledger[LedgerAccountKind.Settling]}\t{verified["account"]!["walletAddress"]!.GetValue<string>()}\t{ledger[LedgerAccountKind.Escrow]}"));
        }
        await File.WriteAllLinesAsync(o.Get("out"), lines);
        Console.WriteLine($"  {count} accounts signed up, wallets verified by wallet sign-in, {tokens} tokens each deposited");
        return 0;
    }

    private static async Task<MarketLedger> FundAsync(NpgsqlDataSource dataSource, Guid accountId, TokenAmount tokens)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ledger = await MarketLedgerAccounts.EnsureAsync(connection, transaction, accountId, CancellationToken.None);
        var deposit = JournalDraft.Transfer(JournalKind.Deposit, $"0x{Guid.NewGuid():N}:0", PlatformLedgerAccounts.Chain,
            ledger[LedgerAccountKind.Available], tokens, external: true);
        await LedgerPoster.PostAsync(connection, transaction, deposit, DateTimeOffset.UtcNow, CancellationToken.None);
        await transaction.CommitAsync();
        return ledger;
    }
}
