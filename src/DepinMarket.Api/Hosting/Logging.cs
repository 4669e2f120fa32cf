using Serilog;
using Serilog.Core;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace DepinMarket.Api.Hosting;

public static class Logging
{
    /// <summary>
    /// Serilog behind Microsoft.Extensions.Logging. Serilog.AspNetCore cannot be restored here
    /// (docs/decisions/0004), so the logger is built by hand: levels from the "Serilog" section,
    /// console output as text or, with Logging:Format=json, one JSON object per line. Extra sinks
    /// registered in DI (tests use one to read what was logged) receive every event too. Every event passes
    /// through <see cref="RedactingSink"/> first, so a key sent in a URL never reaches any sink.
    /// </summary>
    public static WebApplicationBuilder AddMarketLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerProvider>(services =>
        {
            // The sinks see only what RedactingSink lets through; levels are decided once, by the outer logger.
            var sinks = new LoggerConfiguration().MinimumLevel.Verbose();
            if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
            {
                sinks.WriteTo.Console(new JsonFormatter(renderMessage: true));
            }
            else
            {
                sinks.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
            foreach (var sink in services.GetServices<ILogEventSink>())
            {
                sinks.WriteTo.Sink(sink);
            }
            var logger = new LoggerConfiguration()
                .ReadFrom.Configuration(configuration)
                .Enrich.FromLogContext()
                .WriteTo.Sink(new RedactingSink(sinks.CreateLogger()));
            return new SerilogLoggerProvider(logger.CreateLogger(), dispose: true);
        });
        return builder;
    }
}
