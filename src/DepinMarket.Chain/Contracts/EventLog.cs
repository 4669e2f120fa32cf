using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Rpc;

namespace DepinMarket.Chain.Contracts;

/// <summary>A decoded event together with the log it came from (block, tx hash, log index). Nethereum: <c>EventLog&lt;T&gt;</c>.</summary>
public sealed record EventLog<TEvent>(TEvent Event, FilterLog Log)
    where TEvent : IEventDTO;

/// <summary>Event decoding helpers, named as in Nethereum.</summary>
public static class EventExtensions
{
    /// <summary>Decodes every log that is a <typeparamref name="TEvent"/> (matching topic0 and topic count) and skips the rest.</summary>
    public static List<EventLog<TEvent>> DecodeAllEvents<TEvent>(this IEnumerable<FilterLog> logs)
        where TEvent : IEventDTO, new()
    {
        ArgumentNullException.ThrowIfNull(logs);
        var abi = AbiTypedRegistry.GetEvent<TEvent>();
        return logs.Where(log => abi.IsLogForEvent(log.Topics))
            .Select(log => new EventLog<TEvent>(Decode<TEvent>(abi, log), log))
            .ToList();
    }

    /// <summary>Decodes the <typeparamref name="TEvent"/> logs of a receipt.</summary>
    public static List<EventLog<TEvent>> DecodeAllEvents<TEvent>(this TransactionReceipt receipt)
        where TEvent : IEventDTO, new()
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return receipt.Logs.DecodeAllEvents<TEvent>();
    }

    /// <summary>Decodes one log; throws <see cref="AbiDecodingException"/> when it is not a <typeparamref name="TEvent"/>.</summary>
    public static EventLog<TEvent> DecodeEvent<TEvent>(this FilterLog log)
        where TEvent : IEventDTO, new()
    {
        ArgumentNullException.ThrowIfNull(log);
        return new EventLog<TEvent>(Decode<TEvent>(AbiTypedRegistry.GetEvent<TEvent>(), log), log);
    }

    /// <summary>True when the log is a <typeparamref name="TEvent"/>.</summary>
    public static bool IsLogForEvent<TEvent>(this FilterLog log)
        where TEvent : IEventDTO
    {
        ArgumentNullException.ThrowIfNull(log);
        return AbiTypedRegistry.GetEvent<TEvent>().IsLogForEvent(log.Topics);
    }

    private static TEvent Decode<TEvent>(AbiEvent abi, FilterLog log)
        where TEvent : IEventDTO, new()
    {
        var values = abi.DecodeLog(log.Topics, log.Data);
        return (TEvent)AbiParameterMetadata.For(typeof(TEvent)).CreateInstance(values);
    }
}
