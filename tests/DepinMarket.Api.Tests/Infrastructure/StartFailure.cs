using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// Why an API with bad settings refuses to start. WebApplicationFactory sometimes reports a host that failed to start
/// as an ObjectDisposedException instead of the failure itself (its start and the app's disposal race; seen under a
/// loaded machine, about one start in a few hundred): such an attempt says nothing about the settings, so it is made
/// again, up to three times, with a new host.
/// </summary>
public static class StartFailure
{
    public static async Task<OptionsValidationException> OfAsync(Func<MarketApi> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            var host = create();
            try
            {
                var failure = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);
                var unwrapped = failure is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : failure;
                if (unwrapped is ObjectDisposedException && attempt < 3)
                {
                    continue;
                }
                return Assert.IsType<OptionsValidationException>(unwrapped);
            }
            finally
            {
                try
                {
                    await host.DisposeAsync();
                }
                catch (ObjectDisposedException)
                {
                    // A host that never started may fail to dispose as well; the start failure is the answer.
                }
            }
        }
    }
}
