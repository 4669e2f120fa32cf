using DepinMarket.Api.Hosting;

namespace DepinMarket.Api.Features.ChainInfo;

/// <summary>Which chain settles the marketplace, and whether its node answers.</summary>
public static class ChainInfoFeature
{
    public static WebApplicationBuilder AddChainInfo(this WebApplicationBuilder builder)
    {
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(ChainStatusResponse)] = new ChainStatusResponse(true, 31337, true, true, 1234,
                "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", 1),
        });
        return builder;
    }
}
