using DepinMarket.Api.Data;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// One-shot commands of the API binary. Migrations are a deliberate step (run by scripts/run.sh and by
/// deploys), never a side effect of starting a server: N instances starting at once must not race to
/// change the schema, and production must not change it unasked.
/// </summary>
internal static class Commands
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "migrate":
                var applied = await app.Services.GetRequiredService<Migrator>().ApplyAsync(CancellationToken.None);
                app.Logger.LogInformation("Schema up to date ({Applied} migration(s) applied now)", applied);
                return true;
            case "chain" when args.ElementAtOrDefault(1) == "deploy":
                await ChainDeployment.RunAsync(app.Services, args, CancellationToken.None);
                return true;
            case "seed-demo":
                await DemoData.SeedAsync(app.Services, DemoData.KeysFileArgument(args), CancellationToken.None);
                return true;
            default:
                return false;
        }
    }
}
