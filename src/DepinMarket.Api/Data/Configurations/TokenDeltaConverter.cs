using System.Numerics;
using DepinMarket.Domain.Money;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DepinMarket.Api.Data.Configurations;

/// <summary>
/// Stores a <see cref="TokenDelta"/> (a posting, a signed balance) as its base units in numeric(78,0), like
/// <see cref="TokenAmountConverter"/>; a row beyond ±(2^256-1) fails loudly on read.
/// </summary>
internal sealed class TokenDeltaConverter() : ValueConverter<TokenDelta, BigInteger>(
    delta => delta.BaseUnits,
    baseUnits => new TokenDelta(baseUnits));
