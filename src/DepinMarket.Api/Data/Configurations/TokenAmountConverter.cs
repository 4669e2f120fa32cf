using System.Numerics;
using DepinMarket.Domain.Money;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DepinMarket.Api.Data.Configurations;

/// <summary>
/// Stores a <see cref="TokenAmount"/> as its base units; Npgsql maps <see cref="BigInteger"/> to numeric.
/// Reading back goes through the constructor, so a row outside 0 .. 2^256-1 fails loudly instead of
/// becoming an amount the domain would refuse.
/// </summary>
internal sealed class TokenAmountConverter() : ValueConverter<TokenAmount, BigInteger>(
    amount => amount.BaseUnits,
    baseUnits => new TokenAmount(baseUnits));
