using System.Globalization;
using System.Reflection;
using DepinMarket.Chain.Abi;

namespace DepinMarket.Chain.Eip712;

/// <summary>
/// EIP-712 struct types from attributed DTOs (Nethereum: <c>MemberDescriptionFactory</c>): each class's [Parameter]
/// properties, in order, become its members; a <c>tuple</c> (or <c>tuple[]</c>) property names the struct type of
/// its CLR type (<see cref="StructAttribute"/>, or the class name), which is described too.
/// </summary>
public static class MemberDescriptionFactory
{
    /// <summary>The struct types of <paramref name="types"/> and every struct type they refer to, by name.</summary>
    public static Dictionary<string, MemberDescription[]> GetTypesMemberDescription(params Type[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var result = new Dictionary<string, MemberDescription[]>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            Describe(type, result);
        }

        return result;
    }

    /// <summary>The struct type name of a DTO class: its <see cref="StructAttribute"/> or its class name.</summary>
    public static string GetStructTypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetCustomAttribute<StructAttribute>(inherit: true)?.Name ?? type.Name;
    }

    /// <summary>The EIP-712 type text of a parameter: canonical for atomic types, the struct name (plus suffixes) for tuples.</summary>
    internal static string TypeName(AbiType abiType, Type clrType, Dictionary<string, MemberDescription[]>? register)
    {
        switch (abiType)
        {
            case AbiTupleType:
                var structType = Nullable.GetUnderlyingType(clrType) ?? clrType;
                if (register is not null)
                {
                    Describe(structType, register);
                }

                return GetStructTypeName(structType);
            case AbiArrayType array when ContainsTuple(array):
                var element = AbiParameterMetadata.ElementTypeOf(clrType)
                    ?? throw new InvalidOperationException($"{clrType.Name} is not a list, so it cannot hold {abiType.CanonicalName}.");
                return TypeName(array.ElementType, element, register) + "[" + array.Length?.ToString(CultureInfo.InvariantCulture) + "]";
            default:
                return abiType.CanonicalName;
        }
    }

    internal static bool ContainsTuple(AbiType type) => type switch
    {
        AbiTupleType => true,
        AbiArrayType array => ContainsTuple(array.ElementType),
        _ => false,
    };

    private static void Describe(Type type, Dictionary<string, MemberDescription[]> result)
    {
        var name = GetStructTypeName(type);
        if (result.ContainsKey(name))
        {
            return;
        }

        var metadata = AbiParameterMetadata.For(type);
        // Registered before the members are walked, so a struct that refers to itself terminates.
        var members = new MemberDescription[metadata.Parameters.Count];
        result[name] = members;
        for (var i = 0; i < members.Length; i++)
        {
            var parameter = metadata.Parameters[i];
            members[i] = new MemberDescription
            {
                Name = parameter.Name ?? throw new InvalidOperationException($"{type.Name}.{metadata.Properties[i].Name}: an EIP-712 member needs a [Parameter] name."),
                Type = TypeName(parameter.Type, metadata.Properties[i].PropertyType, result),
            };
        }
    }
}
