using System.Runtime.InteropServices;
using DepinMarket.Agent;

var (options, error) = AgentOptions.Parse(args, Environment.GetEnvironmentVariable);
if (options is null)
{
    Console.Error.WriteLine($"depinmarket-agent: {error}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(AgentOptions.Usage);
    return ExitCodes.Error;
}

switch (options.Command)
{
    case AgentCommand.Help:
        Console.Out.WriteLine(AgentOptions.Usage);
        return ExitCodes.Ok;
    case AgentCommand.Commit:
        return FileCommands.Commit(options, Console.Out, Console.Error);
    case AgentCommand.Prove:
        return FileCommands.Prove(options, Console.Out, Console.Error);
}

// Ctrl-C and SIGTERM (systemd, docker stop) end the loops between steps; the process exits 0.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var log = new AgentLog(Console.Error, options.Verbose, TimeProvider.System);
return await AgentHost.RunAsync(options, log, AgentClock.System, handler: null, stop.Token);
