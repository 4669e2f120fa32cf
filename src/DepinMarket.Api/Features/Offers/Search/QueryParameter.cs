using System.Linq.Expressions;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>
/// Wraps a value so that an expression tree reads it through a field, which EF Core sends as a SQL
/// parameter. A plain Expression.Constant would be inlined as a literal, giving every distinct filter
/// value its own compiled query and its own plan in PostgreSQL.
/// </summary>
internal sealed class QueryParameter<T>(T value)
{
    public T Value = value;

    public static Expression Of(T value) =>
        Expression.Field(Expression.Constant(new QueryParameter<T>(value)), nameof(Value));
}
