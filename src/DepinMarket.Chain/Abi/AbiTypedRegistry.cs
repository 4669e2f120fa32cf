using System.Collections.Concurrent;
using System.Reflection;

namespace DepinMarket.Chain.Abi;

/// <summary>
/// Builds (and caches) the ABI description of attributed classes: function messages, events and custom errors.
/// Attributes are looked up with inheritance, so a subclass of an attributed class (the code generator's
/// <c>partial class X : XBase</c>) describes the same function. Named after Nethereum's <c>ABITypedRegistry</c>.
/// </summary>
public static class AbiTypedRegistry
{
    private static readonly ConcurrentDictionary<Type, AbiFunction> Functions = new();
    private static readonly ConcurrentDictionary<Type, AbiEvent> Events = new();

    /// <summary>The function described by <typeparamref name="TFunction"/>'s <see cref="FunctionAttribute"/>.</summary>
    public static AbiFunction GetFunction<TFunction>() => GetFunction(typeof(TFunction));

    /// <summary>The function described by <paramref name="functionType"/>'s <see cref="FunctionAttribute"/>.</summary>
    public static AbiFunction GetFunction(Type functionType)
    {
        ArgumentNullException.ThrowIfNull(functionType);
        return Functions.GetOrAdd(functionType, static type =>
        {
            var inputs = AbiParameterMetadata.For(type).Parameters;
            if (type.GetCustomAttribute<ErrorAttribute>(inherit: true) is { } error)
            {
                return new AbiFunction(error.Name, inputs);
            }

            var attribute = type.GetCustomAttribute<FunctionAttribute>(inherit: true)
                ?? throw new InvalidOperationException($"{type.Name} has no [Function] attribute.");
            IReadOnlyList<AbiParameter> outputs = attribute switch
            {
                { DTOReturnType: { } dto } => AbiParameterMetadata.For(dto).Parameters,
                { ReturnType: { } text } => AbiSignatureParser.SplitTopLevel(text).Select(p => AbiSignatureParser.ParseParameter(p, allowIndexed: false)).ToArray(),
                _ => [],
            };
            return new AbiFunction(attribute.Name, inputs, outputs);
        });
    }

    /// <summary>The event described by <typeparamref name="TEvent"/>'s <see cref="EventAttribute"/>.</summary>
    public static AbiEvent GetEvent<TEvent>() => GetEvent(typeof(TEvent));

    /// <summary>The event described by <paramref name="eventType"/>'s <see cref="EventAttribute"/>.</summary>
    public static AbiEvent GetEvent(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return Events.GetOrAdd(eventType, static type =>
        {
            var attribute = type.GetCustomAttribute<EventAttribute>(inherit: true)
                ?? throw new InvalidOperationException($"{type.Name} has no [Event] attribute.");
            return new AbiEvent(attribute.Name, AbiParameterMetadata.For(type).Parameters);
        });
    }
}
