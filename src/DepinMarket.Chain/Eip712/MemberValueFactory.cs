using System.Collections;
using DepinMarket.Chain.Abi;

namespace DepinMarket.Chain.Eip712;

/// <summary>
/// EIP-712 member values from attributed DTOs (Nethereum: <c>MemberValueFactory</c>): the [Parameter] properties in
/// order, nested struct DTOs as <see cref="MemberValue"/> arrays, lists of them as lists.
/// </summary>
public static class MemberValueFactory
{
    /// <summary>The member values of <paramref name="message"/>, in its [Parameter] order.</summary>
    public static MemberValue[] CreateFromMessage(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var metadata = AbiParameterMetadata.For(message.GetType());
        var values = metadata.GetValues(message);
        var result = new MemberValue[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var abiType = metadata.Parameters[i].Type;
            result[i] = new MemberValue
            {
                TypeName = MemberDescriptionFactory.TypeName(abiType, metadata.Properties[i].PropertyType, register: null),
                Value = ToValue(abiType, values[i]),
            };
        }

        return result;
    }

    /// <summary>The <c>EIP712Domain</c> members and values of a domain object: its [Parameter] properties that are set.</summary>
    public static (MemberDescription[] Members, MemberValue[] Values) CreateDomain(IDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var metadata = AbiParameterMetadata.For(domain.GetType());
        var values = metadata.GetValues(domain);
        var members = new List<MemberDescription>();
        var set = new List<MemberValue>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                continue;
            }

            var type = metadata.Parameters[i].Type.CanonicalName;
            members.Add(new MemberDescription { Name = metadata.Parameters[i].Name!, Type = type });
            set.Add(new MemberValue { TypeName = type, Value = values[i] });
        }

        if (members.Count == 0)
        {
            throw new ArgumentException("An EIP-712 domain needs at least one field set.", nameof(domain));
        }

        return (members.ToArray(), set.ToArray());
    }

    private static object? ToValue(AbiType abiType, object? value) => abiType switch
    {
        _ when value is null => null,
        AbiTupleType => value is IEnumerable<MemberValue> ? value : CreateFromMessage(value),
        AbiArrayType array when MemberDescriptionFactory.ContainsTuple(array) =>
            ((IEnumerable)value).Cast<object?>().Select(item => ToValue(array.ElementType, item)).ToList(),
        _ => value,
    };
}
