namespace DepinMarket.Agent;

/// <summary>What the process tells a script or a service manager when it ends.</summary>
public static class ExitCodes
{
    /// <summary>Stopped cleanly: Ctrl-C, SIGTERM, or --once and every node's heartbeat was accepted.</summary>
    public const int Ok = 0;

    /// <summary>Bad options, an unreadable state file, a refusal that retrying cannot mend, or --once that failed.</summary>
    public const int Error = 1;

    /// <summary>The API refused the API key or a node token (401/403): a person has to fix the credentials.</summary>
    public const int CredentialsRefused = 2;
}
