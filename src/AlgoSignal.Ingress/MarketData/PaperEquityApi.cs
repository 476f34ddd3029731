using System.Globalization;
using AlgoSignal.Ingress.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace AlgoSignal.Ingress.MarketData;

/// <summary>
/// <c>GET /api/v1/accounts/{account}/equity</c> (README: paper broker following the market): a paper
/// account's equity series, one point per <c>Brokers:Paper:EquityIntervalSeconds</c>, oldest first — what a
/// P&amp;L chart draws. <c>?since=</c> (ISO-8601) and <c>?limit=</c> (1–5000, default 1000, the newest kept).
/// </summary>
public static class PaperEquityApi
{
    public const int MaxPoints = 5_000;

    public static IEndpointRouteBuilder MapPaperEquityApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Trading").AddEndpointFilter<ApiKeyFilter>()
            .MapGet("/accounts/{account}/equity", GetEquityAsync).WithName("GetAccountEquity");
        return app;
    }

    public static async Task<Results<Ok<object>, ProblemHttpResult>> GetEquityAsync(
        string account, string? since, int? limit, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var take = limit ?? 1_000;
        DateTimeOffset from = DateTimeOffset.UnixEpoch;
        if (take is < 1 or > MaxPoints || (since is { Length: > 0 } && !DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from)))
        {
            return TypedResults.Problem(title: "Invalid request", detail: $"limit must be between 1 and {MaxPoints}; since an ISO-8601 time, e.g. 2026-12-01T00:00:00Z.", statusCode: StatusCodes.Status400BadRequest);
        }

        await using var command = dataSource.CreateCommand("""
            SELECT time, cash, position_value, unrealized_pnl, equity FROM (
                SELECT time, cash, position_value, unrealized_pnl, equity FROM paper_equity
                WHERE account = $1 AND time >= $2 ORDER BY time DESC LIMIT $3) newest
            ORDER BY time
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = account });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        var points = new List<object>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                points.Add(new
                {
                    time = reader.GetFieldValue<DateTimeOffset>(0).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    cash = reader.GetDecimal(1),
                    position_value = reader.GetDecimal(2),
                    unrealized_pnl = reader.GetDecimal(3),
                    equity = reader.GetDecimal(4),
                });
            }
        }

        if (points.Count == 0)
        {
            await using var known = dataSource.CreateCommand("SELECT 1 FROM paper_accounts WHERE account = $1");
            known.Parameters.Add(new NpgsqlParameter { Value = account });
            if (await known.ExecuteScalarAsync(cancellationToken) is null)
            {
                return TypedResults.Problem(title: "Unknown account", detail: $"No paper account {account}: it is created by its first paper fill.", statusCode: StatusCodes.Status404NotFound);
            }
        }

        return TypedResults.Ok<object>(new { account, points });
    }
}
