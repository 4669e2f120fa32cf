namespace DepinMarket.Api.Hosting;

/// <summary>
/// Where the app reads appsettings.json from. ASP.NET's default is the current directory, so a binary started
/// from anywhere else (scripts/run.sh starts it from the repository root) silently runs without its own
/// settings: EF logging every SQL statement at Information, and every other default of that file ignored.
/// Unless a content root is given explicitly (--contentRoot, ASPNETCORE_CONTENTROOT; the test host gives
/// one), the folder of the app's own assembly is used, where the build puts appsettings.json.
/// </summary>
public static class ContentRoot
{
    public static WebApplicationOptions For(string[] args) => new() { Args = args, ContentRootPath = Resolve(args) };

    private static string? Resolve(string[] args)
    {
        var explicitRoot = new ConfigurationBuilder().AddCommandLine(args).Build()["contentRoot"]
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")
            ?? Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT");
        if (explicitRoot is not null)
        {
            return null;
        }
        return File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")) ? AppContext.BaseDirectory : null;
    }
}
