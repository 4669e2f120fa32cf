using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Abi;

/// <summary>
/// An event: topic0 = keccak256 of the canonical signature; indexed parameters live in topics 1..3, the rest in data.
/// Nethereum's counterpart is <c>EventABI</c>.
/// </summary>
public sealed class AbiEvent
{
    /// <summary>Builds an event from its parts.</summary>
    public AbiEvent(string name, IReadOnlyList<AbiParameter> parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(parameters);
        Name = name;
        Parameters = parameters.ToArray();
        if (Parameters.Count(p => p.Indexed) > 3)
        {
            throw new ArgumentException("An event has at most three indexed parameters.", nameof(parameters));
        }

        Signature = Name + "(" + string.Join(",", Parameters.Select(p => p.Type.CanonicalName)) + ")";
        Topic0 = Sha3Keccack.Hash(System.Text.Encoding.ASCII.GetBytes(Signature));
    }

    /// <summary>Event name.</summary>
    public string Name { get; }

    /// <summary>All parameters in declaration order.</summary>
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <summary>Canonical signature, e.g. "Transfer(address,address,uint256)".</summary>
    public string Signature { get; }

    /// <summary>keccak256 of the canonical signature.</summary>
    public byte[] Topic0 { get; }

    /// <summary>Topic0 as 0x-prefixed hex, for eth_getLogs filters.</summary>
    public string Topic0Hex => Topic0.ToHex(prefix: true);

    /// <summary>Parses "Transfer(address indexed from,address indexed to,uint256 value)" (leading "event " allowed).</summary>
    public static AbiEvent Parse(string signature)
    {
        var (name, parameters) = AbiSignatureParser.Parse(signature, allowIndexed: true);
        return new AbiEvent(name, parameters);
    }

    /// <summary>True when the log's first topic is this event's topic0 and the topic count fits.</summary>
    public bool IsLogForEvent(IReadOnlyList<string>? topics) =>
        topics is { Count: > 0 } &&
        string.Equals(topics[0], Topic0Hex, StringComparison.OrdinalIgnoreCase) &&
        topics.Count == 1 + Parameters.Count(p => p.Indexed);

    /// <summary>
    /// Decodes a log into parameter values in declaration order. Indexed parameters of dynamic type (string, bytes,
    /// arrays, tuples) are stored by the EVM only as their keccak256 hash, so they decode to that 32-byte hash.
    /// </summary>
    public object?[] DecodeLog(IReadOnlyList<string> topics, string data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(data);
        return DecodeLog(topics.Select(t => t.HexToByteArray()).ToArray(), data.HexToByteArray());
    }

    /// <inheritdoc cref="DecodeLog(IReadOnlyList{string}, string)"/>
    public object?[] DecodeLog(IReadOnlyList<byte[]> topics, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(data);
        var indexedCount = Parameters.Count(p => p.Indexed);
        if (topics.Count != indexedCount + 1)
        {
            throw new AbiDecodingException($"{Signature} has {indexedCount} indexed parameter(s), so 1 + {indexedCount} topics; the log has {topics.Count}.");
        }

        if (!topics[0].AsSpan().SequenceEqual(Topic0))
        {
            throw new AbiDecodingException($"The log's topic0 is not the topic of {Signature}.");
        }

        var dataParameters = Parameters.Where(p => !p.Indexed).Select(p => p.Type).ToArray();
        var dataValues = AbiTupleType.DecodeSequence(dataParameters, data, 0);

        var values = new object?[Parameters.Count];
        int topicIndex = 1, dataIndex = 0;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            if (parameter.Indexed)
            {
                var topic = topics[topicIndex++];
                if (topic.Length != 32)
                {
                    throw new AbiDecodingException("A topic is 32 bytes.");
                }

                values[i] = parameter.Type.IsDynamic ? topic.ToArray() : parameter.Type.Decode(topic, 0);
            }
            else
            {
                values[i] = dataValues[dataIndex++];
            }
        }

        return values;
    }

    /// <summary>Encodes a value as a topic, for filtering eth_getLogs by an indexed parameter.</summary>
    public static string EncodeTopic(AbiType type, object? value)
    {
        ArgumentNullException.ThrowIfNull(type);
        // Dynamic indexed values are matched by the hash of their packed form; for bytes/string that is the raw bytes.
        if (type is AbiBytesType or AbiStringType)
        {
            var raw = type is AbiStringType ? System.Text.Encoding.UTF8.GetBytes((string)value!) : AbiValueConvert.ToBytes(value, type.CanonicalName);
            return Sha3Keccack.Hash(raw).ToHex(prefix: true);
        }

        // Indexed arrays and structs (even static ones) are hashed from a special in-place encoding; not needed here.
        if (type is AbiArrayType or AbiTupleType)
        {
            throw new NotSupportedException($"Topic encoding of indexed {type.CanonicalName} is not supported.");
        }

        return type.Encode(value).ToHex(prefix: true);
    }
}
