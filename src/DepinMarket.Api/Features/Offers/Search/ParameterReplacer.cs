using System.Linq.Expressions;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>Rewrites an expression so that it reads another lambda's parameter: how two key lambdas are combined into one.</summary>
internal sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
{
    public static Expression Replace(Expression body, ParameterExpression from, ParameterExpression to) => new ParameterReplacer(from, to).Visit(body);

    protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
}
