using AlgoSignal.Domain;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Api;

/// <summary><c>/api/v1/orders</c>, <c>/api/v1/positions</c>, <c>/api/v1/accounts/{id}/pnl</c>.</summary>
public static class TradingApi
{
    public static IEndpointRouteBuilder MapTradingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Trading").AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter<StoredTextFilter>();
        group.MapGet("/orders", ListOrdersAsync).WithName("ListOrders").WithManagementProblems();
        group.MapGet("/positions", ListPositionsAsync).WithName("ListPositions").WithManagementProblems(StatusCodes.Status404NotFound);
        group.MapGet("/accounts/{account}/pnl", GetPnlAsync).WithName("GetAccountPnl").WithManagementProblems(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<List<OrderView>>, ValidationProblem>> ListOrdersAsync(
        AlgoSignalDbContext db, string? account, string? strategy, string? symbol, string? status, string? limit, CancellationToken cancellationToken)
    {
        if (!ListLimit.TryRead(limit, out var take, out var badLimit))
        {
            return badLimit!;
        }

        var query = db.Orders.AsNoTracking().Include(o => o.Events).AsQueryable();
        if (!string.IsNullOrEmpty(account))
        {
            query = query.Where(o => o.Account == account);
        }

        if (!string.IsNullOrEmpty(strategy))
        {
            query = query.Where(o => o.Strategy == strategy);
        }

        if (!string.IsNullOrEmpty(symbol))
        {
            query = query.Where(o => o.Symbol == symbol);
        }

        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(o => o.Status == status);
        }

        var rows = await query.OrderByDescending(o => o.Id).Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(AlertsApi.ToView).ToList());
    }

    public static async Task<Results<Ok<List<PositionView>>, ProblemHttpResult>> ListPositionsAsync(
        AlgoSignalDbContext db, string? account, string? strategy, CancellationToken cancellationToken)
    {
        var query = db.Positions.AsNoTracking().Where(p => p.Quantity != 0m);
        if (!string.IsNullOrEmpty(account))
        {
            query = query.Where(p => p.Account == account);
        }

        if (!string.IsNullOrEmpty(strategy))
        {
            var row = await db.Strategies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == strategy, cancellationToken);
            if (row is null)
            {
                return TypedResults.Problem(detail: $"No strategy named \"{strategy}\".", statusCode: StatusCodes.Status404NotFound);
            }

            var routes = System.Text.Json.JsonSerializer.Deserialize<StrategyDefinition>(row.Definition, JsonDefaults.SnakeCase)!.Routes;
            var accounts = routes.Select(r => r.Account).ToList();
            query = query.Where(p => accounts.Contains(p.Account));
        }

        var rows = await query.OrderBy(p => p.Account).ThenBy(p => p.Symbol).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(ToView).ToList());
    }

    public static async Task<Results<Ok<AccountPnlView>, ProblemHttpResult>> GetPnlAsync(string account, AlgoSignalDbContext db, CancellationToken cancellationToken)
    {
        var paper = await db.PaperAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Account == account, cancellationToken);
        if (paper is null)
        {
            return TypedResults.Problem(detail: $"No paper account \"{account}\" has traded yet.", statusCode: StatusCodes.Status404NotFound);
        }

        var positions = await db.Positions.AsNoTracking().Where(p => p.Broker == BrokerNames.Paper && p.Account == account).ToListAsync(cancellationToken);
        var views = positions.Select(ToView).ToList();
        var realized = positions.Sum(p => p.RealizedPnl);
        var unrealized = views.Sum(p => p.UnrealizedPnl);
        var equity = paper.Cash + positions.Sum(p => p.Quantity * (p.LastPrice ?? p.AveragePrice));
        return TypedResults.Ok(new AccountPnlView(
            account, BrokerNames.Paper, paper.InitialCash, paper.Cash, equity, realized, unrealized, paper.FeesPaid, equity - paper.InitialCash, views.Where(v => v.Quantity != 0m).ToList()));
    }

    internal static PositionView ToView(PositionEntity p) => new(
        p.Account, p.Broker, p.Symbol, p.Quantity, p.AveragePrice, p.RealizedPnl,
        p.LastPrice is { } last && p.Quantity != 0m ? (last - p.AveragePrice) * p.Quantity : 0m, p.LastPrice);
}
