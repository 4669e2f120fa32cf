using System.Collections;
using System.Globalization;

namespace DepinMarket.Chain.Abi;

/// <summary>T[] (dynamic length) and T[k] (fixed length).</summary>
public sealed class AbiArrayType : AbiType
{
    /// <summary>An array of <paramref name="elementType"/>; <paramref name="length"/> null for T[].</summary>
    public AbiArrayType(AbiType elementType, int? length)
    {
        ArgumentNullException.ThrowIfNull(elementType);
        if (length is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "A fixed array has at least one element.");
        }

        ElementType = elementType;
        Length = length;
    }

    /// <summary>T.</summary>
    public AbiType ElementType { get; }

    /// <summary>k for T[k]; null for T[].</summary>
    public int? Length { get; }

    /// <inheritdoc />
    public override string CanonicalName =>
        ElementType.CanonicalName + "[" + (Length?.ToString(CultureInfo.InvariantCulture) ?? string.Empty) + "]";

    /// <inheritdoc />
    public override bool IsDynamic => Length is null || ElementType.IsDynamic;

    /// <inheritdoc />
    public override int StaticSize => IsDynamic ? WordSize : Length!.Value * ElementType.StaticSize;

    /// <inheritdoc />
    public override byte[] Encode(object? value)
    {
        if (value is null or string or byte[] || value is not IEnumerable enumerable)
        {
            throw new AbiEncodingException($"{CanonicalName} expects a list, got {AbiValueConvert.Describe(value)}.");
        }

        var items = enumerable.Cast<object?>().ToArray();
        var types = Enumerable.Repeat(ElementType, items.Length).ToArray();
        if (Length is { } k)
        {
            if (items.Length != k)
            {
                throw new AbiEncodingException($"{CanonicalName} expects {k} items, got {items.Length}.");
            }

            return AbiTupleType.EncodeSequence(types, items);
        }

        return [.. AbiIntegerType.EncodeWord(items.Length), .. AbiTupleType.EncodeSequence(types, items)];
    }

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset)
    {
        int count;
        int start;
        if (Length is { } k)
        {
            count = k;
            start = offset;
        }
        else
        {
            // Each element takes at least one word of head, which bounds the count before anything is allocated.
            count = AbiDecodingGuard.Length(data, offset, CanonicalName, ElementType.HeadSize);
            start = offset + WordSize;
        }

        return AbiTupleType.DecodeSequence(Enumerable.Repeat(ElementType, count).ToArray(), data, start);
    }
}

/// <summary>A tuple (struct): components encoded as a head/tail sequence.</summary>
public sealed class AbiTupleType : AbiType
{
    /// <summary>A tuple of <paramref name="components"/>.</summary>
    public AbiTupleType(IReadOnlyList<AbiType> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        Components = components.ToArray();
    }

    /// <summary>Component types in order.</summary>
    public IReadOnlyList<AbiType> Components { get; }

    /// <inheritdoc />
    public override string CanonicalName => "(" + string.Join(",", Components.Select(c => c.CanonicalName)) + ")";

    /// <inheritdoc />
    public override bool IsDynamic => Components.Any(c => c.IsDynamic);

    /// <inheritdoc />
    public override int StaticSize => IsDynamic ? WordSize : Components.Sum(c => c.StaticSize);

    /// <summary>
    /// Accepts object?[] / any IList, or an object whose properties carry <see cref="ParameterAttribute"/>
    /// (a Nethereum-style struct DTO).
    /// </summary>
    public override byte[] Encode(object? value)
    {
        var values = value switch
        {
            null => throw new AbiEncodingException($"{CanonicalName} expects a tuple, got null."),
            string or byte[] => throw new AbiEncodingException($"{CanonicalName} expects a tuple, got {AbiValueConvert.Describe(value)}."),
            IList list => list.Cast<object?>().ToArray(),
            _ => AbiParameterMetadata.For(value.GetType()).GetValues(value),
        };
        if (values.Length != Components.Count)
        {
            throw new AbiEncodingException($"{CanonicalName} expects {Components.Count} values, got {values.Length}.");
        }

        return EncodeSequence(Components, values);
    }

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset) => DecodeSequence(Components, data, offset);

    /// <summary>The head/tail encoding of values against types (function arguments, tuples, arrays).</summary>
    public static byte[] EncodeSequence(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new AbiEncodingException($"Expected {types.Count} values, got {values.Count}.");
        }

        var headSize = types.Sum(t => t.HeadSize);
        var heads = new List<byte[]>(types.Count);
        var tails = new List<byte[]>();
        var tailOffset = headSize;
        for (var i = 0; i < types.Count; i++)
        {
            byte[] encoded;
            try
            {
                encoded = types[i].Encode(values[i]);
            }
            catch (AbiEncodingException ex) when (types.Count > 1)
            {
                throw new AbiEncodingException($"Value {i} ({types[i].CanonicalName}): {ex.Message}", ex);
            }

            if (types[i].IsDynamic)
            {
                heads.Add(AbiIntegerType.EncodeWord(tailOffset));
                tails.Add(encoded);
                tailOffset += encoded.Length;
            }
            else
            {
                heads.Add(encoded);
            }
        }

        var result = new byte[tailOffset];
        var position = 0;
        foreach (var part in heads.Concat(tails))
        {
            part.CopyTo(result, position);
            position += part.Length;
        }

        return result;
    }

    /// <summary>Decodes a head/tail sequence starting at <paramref name="start"/>; offsets are relative to it.</summary>
    public static object?[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start)
    {
        ArgumentNullException.ThrowIfNull(types);
        var values = new object?[types.Count];
        var head = start;
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            if (type.IsDynamic)
            {
                var relative = AbiDecodingGuard.ReadInt(data, head, "offset");
                var target = (long)start + relative;
                if (target >= data.Length)
                {
                    throw new AbiDecodingException($"Offset {relative} of value {i} ({type.CanonicalName}) points past the end of the data.");
                }

                values[i] = type.Decode(data, (int)target);
            }
            else
            {
                values[i] = type.Decode(data, head);
            }

            head += type.HeadSize;
        }

        return values;
    }
}
