using DepinMarket.Api.Auth;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Offers;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// Renting and paying for use (docs/decisions/0015): rentals of the three kinds with escrow and capacity, their
/// life's moves, model usage reports, the metering worker, the daily spend cap, the market's fees, and the part of the
/// ledger check that ties escrow balances to rentals.
/// </summary>
public static class RentalsFeature
{
    public static WebApplicationBuilder AddRentals(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RentalOptions>().Bind(builder.Configuration.GetSection("Rentals"))
            .Validate(o => o.Fees.Schedule.IsValid, "Rentals:Fees: each fee is 0 to 10000 basis points, and PlatformBps + ProviderReservationBps must stay below 10000.")
            .Validate(o => o.AcceptWithin > TimeSpan.Zero, "Rentals:AcceptWithin must be positive.")
            .Validate(o => o.MeteringInterval > TimeSpan.Zero, "Rentals:MeteringInterval must be positive.")
            .Validate(o => o.MeteringBatchSize is > 0 and <= 10_000, "Rentals:MeteringBatchSize must be 1 to 10000.")
            .ValidateOnStart();
        // Swagger UI's "Try it out" starts from these bodies; without them it would fill in every kind's fields at once.
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(CreateRentalRequest)] = new CreateRentalRequest(RentalKind.Compute, OpenApiExamples.Values.Id, Gpus: 1, Hours: 2),
            [typeof(AcceptRentalRequest)] = new AcceptRentalRequest(new Dictionary<string, string> { ["ssh"] = "ssh user@203.0.113.7 -p 2222" }),
            [typeof(RentalAccessRequest)] = new RentalAccessRequest(new Dictionary<string, string> { ["ssh"] = "ssh user@203.0.113.7 -p 2222" }),
            [typeof(ExtendRentalRequest)] = new ExtendRentalRequest(Hours: 1),
            [typeof(UsageReportRequest)] = new UsageReportRequest("req-1", 1200, 300),
            [typeof(SpendCapRequest)] = new SpendCapRequest(TokenAmount.Parse("50")),
        });
        builder.Services.AddSingleton<RentalMetering>();
        builder.Services.AddHostedService<RentalMeteringService>();
        builder.Services.AddSingleton<ILedgerCheckExtension, RentalEscrowCheck>();
        builder.Services.AddSingleton<IOfferRetirement, RentalsOfRetiredOffers>();
        builder.Services.AddSingleton<IOfferCapacityHolds, RentalCapacityHolds>();
        return builder;
    }

    public static WebApplication MapRentals(this WebApplication app)
    {
        app.MapRentalEndpoints();
        app.MapRentalActions();
        app.MapUsageReports();
        app.MapSpendCaps();
        app.MapGet("/v1/market/fees", Fees)
            .WithTags("Rentals")
            .AllowAnonymous()
            .WithName("GetMarketFees")
            .WithSummary("The fees a new rental pays (basis points) and how long a provider has to accept");
        return app;
    }

    internal static Ok<MarketFeesResponse> Fees(IOptions<RentalOptions> options)
    {
        var o = options.Value;
        var f = o.Fees;
        return TypedResults.Ok(new MarketFeesResponse(f.ClientReservationBps, f.ProviderReservationBps, f.PlatformBps, f.BurnShareBps, (long)o.AcceptWithin.TotalSeconds));
    }
}
