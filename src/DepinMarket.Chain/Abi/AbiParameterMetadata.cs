using System.Collections;
using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Abi;

/// <summary>
/// Reflection over a DTO's <see cref="ParameterAttribute"/> properties, cached per type: the ABI types in order, reading
/// values out for encoding, and building an instance from decoded values. Shared by function messages, outputs,
/// events and struct (tuple) types.
/// </summary>
public sealed class AbiParameterMetadata
{
    private static readonly ConcurrentDictionary<Type, AbiParameterMetadata> Cache = new();

    private readonly (PropertyInfo Property, ParameterAttribute Attribute, AbiType Type)[] _members;

    private AbiParameterMetadata(Type type)
    {
        DtoType = type;
        // GetProperties includes inherited properties; inherit: true also finds the attribute of a base property that a
        // subclass overrides (the code generator makes every property virtual).
        _members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<ParameterAttribute>(inherit: true)))
            .Where(x => x.Attribute is not null)
            .OrderBy(x => x.Attribute!.Order)
            .Select(x => (x.Property, x.Attribute!, ResolveType(x.Attribute!.Type, x.Property.PropertyType, type)))
            .ToArray();
        var duplicate = _members.GroupBy(m => m.Attribute.Order).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{type.Name} has two [Parameter] properties with order {duplicate.Key}.");
        }

        Parameters = _members.Select(m => new AbiParameter(m.Type, m.Attribute.Name, m.Attribute.Indexed)).ToArray();
        Properties = _members.Select(m => m.Property).ToArray();
    }

    /// <summary>The DTO type described.</summary>
    public Type DtoType { get; }

    /// <summary>The parameters in order.</summary>
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <summary>The properties behind <see cref="Parameters"/>, in the same order (their CLR types name struct types).</summary>
    public IReadOnlyList<PropertyInfo> Properties { get; }

    /// <summary>Cached metadata for <paramref name="type"/>.</summary>
    public static AbiParameterMetadata For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Cache.GetOrAdd(type, t => new AbiParameterMetadata(t));
    }

    /// <summary>The property values in parameter order.</summary>
    public object?[] GetValues(object instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return _members.Select(m => m.Property.GetValue(instance)).ToArray();
    }

    /// <summary>A new instance with every parameter property set from <paramref name="values"/> (in parameter order).</summary>
    public object CreateInstance(IReadOnlyList<object?> values)
    {
        var instance = Activator.CreateInstance(DtoType)
            ?? throw new InvalidOperationException($"{DtoType.Name} needs a public parameterless constructor.");
        SetValues(instance, values);
        return instance;
    }

    /// <summary>Sets every parameter property of <paramref name="instance"/> from <paramref name="values"/> (in parameter order).</summary>
    public void SetValues(object instance, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _members.Length)
        {
            throw new AbiDecodingException($"{DtoType.Name} has {_members.Length} parameters; got {values.Count} values.");
        }

        for (var i = 0; i < _members.Length; i++)
        {
            var (property, _, abiType) = _members[i];
            if (!property.CanWrite)
            {
                throw new InvalidOperationException($"{DtoType.Name}.{property.Name} needs a setter to be decoded into.");
            }

            property.SetValue(instance, ConvertDecoded(values[i], property.PropertyType, abiType));
        }
    }

    /// <summary>Converts a decoded ABI value (BigInteger, string, byte[], bool, object?[]) to a property type.</summary>
    public static object? ConvertDecoded(object? value, Type target, AbiType abiType)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(abiType);
        target = Nullable.GetUnderlyingType(target) ?? target;
        if (value is null || target == typeof(object) || target.IsInstanceOfType(value) && value is not object?[])
        {
            return value;
        }

        try
        {
            switch (value)
            {
                case BigInteger big:
                    return ConvertInteger(big, target);
                case string address when abiType is AbiAddressType && target == typeof(EthereumAddress):
                    return EthereumAddress.Parse(address);
                case byte[] bytes when target == typeof(string):
                    return bytes.ToHex(prefix: true);
                case object?[] items when abiType is AbiTupleType tuple:
                    return target == typeof(object?[]) ? items : For(target).CreateInstance(items);
                case object?[] items when abiType is AbiArrayType array:
                    return ConvertArray(items, target, array.ElementType);
            }
        }
        catch (OverflowException ex)
        {
            throw new AbiDecodingException($"Decoded {abiType.CanonicalName} value does not fit in {target.Name}.", ex);
        }

        throw new AbiDecodingException($"Cannot convert decoded {abiType.CanonicalName} ({value.GetType().Name}) to {target.Name}.");
    }

    private static object ConvertInteger(BigInteger value, Type target)
    {
        if (target == typeof(BigInteger))
        {
            return value;
        }

        if (target.IsEnum)
        {
            return Enum.ToObject(target, (long)value);
        }

        return Type.GetTypeCode(target) switch
        {
            TypeCode.Byte => (byte)value,
            TypeCode.SByte => (sbyte)value,
            TypeCode.Int16 => (short)value,
            TypeCode.UInt16 => (ushort)value,
            TypeCode.Int32 => (int)value,
            TypeCode.UInt32 => (uint)value,
            TypeCode.Int64 => (long)value,
            TypeCode.UInt64 => (ulong)value,
            TypeCode.Decimal => (decimal)value,
            TypeCode.String => value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new AbiDecodingException($"Cannot convert an integer to {target.Name}."),
        };
    }

    private static object ConvertArray(object?[] items, Type target, AbiType elementAbiType)
    {
        Type elementType;
        if (target.IsArray)
        {
            elementType = target.GetElementType()!;
            var array = Array.CreateInstance(elementType, items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                array.SetValue(ConvertDecoded(items[i], elementType, elementAbiType), i);
            }

            return array;
        }

        elementType = target.IsGenericType ? target.GetGenericArguments()[0] : typeof(object);
        var listType = typeof(List<>).MakeGenericType(elementType);
        if (!target.IsAssignableFrom(listType))
        {
            throw new AbiDecodingException($"Cannot convert an array to {target.Name}; use T[], List<T> or IReadOnlyList<T>.");
        }

        var list = (IList)Activator.CreateInstance(listType, items.Length)!;
        foreach (var item in items)
        {
            list.Add(ConvertDecoded(item, elementType, elementAbiType));
        }

        return list;
    }

    /// <summary>
    /// The ABI type of a property. "tuple", "tuple[]", "tuple[2][]"… take their components from the property's
    /// (element) type, whose own [Parameter] properties describe the struct.
    /// </summary>
    private static AbiType ResolveType(string abiType, Type propertyType, Type owner)
    {
        if (!abiType.StartsWith("tuple", StringComparison.Ordinal) || abiType.StartsWith("tuple(", StringComparison.Ordinal))
        {
            return AbiType.Parse(abiType);
        }

        var suffix = abiType[5..];
        var structType = propertyType;
        for (var depth = suffix.Count(c => c == '['); depth > 0; depth--)
        {
            structType = ElementTypeOf(structType)
                ?? throw new InvalidOperationException($"{owner.Name}: '{abiType}' needs an array or list property, found {propertyType.Name}.");
        }

        if (structType == owner)
        {
            throw new InvalidOperationException($"{owner.Name} refers to itself as a tuple.");
        }

        var components = For(structType).Parameters.Select(p => p.Type).ToArray();
        return AbiType.Parse(new AbiTupleType(components).CanonicalName + suffix);
    }

    /// <summary>T of T[], List&lt;T&gt;, IReadOnlyList&lt;T&gt;…; null for a type that is not a sequence.</summary>
    internal static Type? ElementTypeOf(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
    }
}
