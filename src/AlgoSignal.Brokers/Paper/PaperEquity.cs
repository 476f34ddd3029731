using Microsoft.Extensions.Options;
using Npgsql;

namespace AlgoSignal.Brokers.Paper;

/// <summary>
/// The paper accounts' equity over time (<c>paper_equity</c>): one point per account and
/// <c>Brokers:Paper:EquityIntervalSeconds</c> bucket, written by whichever worker gets there first in the bucket
/// and overwritten by later ones, so several workers following the market agree.
/// </summary>
public sealed class PaperEquity(NpgsqlDataSource dataSource, IOptions<PaperBrokerOptions> options, TimeProvider time)
{
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    /// <summary>One equity point per paper account and interval bucket (cash, positions at their mark, the sum).</summary>
    public async Task RecordAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _next)
        {
            return;
        }

        var interval = options.Value.EquityIntervalSeconds;
        var bucket = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / interval * interval);
        _next = bucket.AddSeconds(interval);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO paper_equity (account, time, cash, position_value, unrealized_pnl, equity)
            SELECT a.account, $1, a.cash,
                   coalesce(sum(p.quantity * coalesce(p.last_price, p.average_price)), 0),
                   coalesce(sum(p.quantity * (coalesce(p.last_price, p.average_price) - p.average_price)), 0),
                   a.cash + coalesce(sum(p.quantity * coalesce(p.last_price, p.average_price)), 0)
            FROM paper_account_balances a LEFT JOIN positions p ON p.broker = $2 AND p.account = a.account AND p.quantity <> 0
            GROUP BY a.account, a.cash
            ON CONFLICT (account, time) DO UPDATE
            SET cash = EXCLUDED.cash, position_value = EXCLUDED.position_value, unrealized_pnl = EXCLUDED.unrealized_pnl, equity = EXCLUDED.equity
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = bucket });
        command.Parameters.Add(new NpgsqlParameter { Value = PaperBroker.Broker });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
