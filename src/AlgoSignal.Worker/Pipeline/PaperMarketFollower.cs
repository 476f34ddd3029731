using System.Collections.Concurrent;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain.Orders;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// The paper broker between alerts (README: paper broker): follows the live feed of every symbol that has
/// resting paper orders or an open paper position, from the symbol's market-data provider. Each price
/// updates <see cref="PaperMarket"/> (so an unpriced market order fills at it), fills the resting orders it
/// crosses and marks the positions, under the same book lock and in one transaction per account, exactly as
/// an alert's price would; fills are published as <c>OrderFilled</c> and settle their alerts. Every
/// <c>Brokers:Paper:EquityIntervalSeconds</c> each paper account's equity is recorded (<c>paper_equity</c>).
/// Several workers may follow the same symbol: the book lock orders them and a price that crosses nothing
/// writes nothing.
/// </summary>
/// <remarks>Here which symbols to follow and the equity points; following one symbol and matching its prices is in <c>PaperMarketFollower.Follow.cs</c>.</remarks>
public sealed partial class PaperMarketFollower(
    IServiceScopeFactory scopes,
    MarketDataProviders providers,
    PaperMarket market,
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<PaperBrokerOptions> options,
    TimeProvider time,
    AlgoSignalMetrics metrics,
    ILogger<PaperMarketFollower> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Exchange, string Symbol), Followed> _followed = new();
    private DateTimeOffset _nextEquity = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.FollowMarket)
        {
            return;
        }

        var refresh = TimeSpan.FromSeconds(options.Value.MarketRefreshSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
                await RecordEquityAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(refresh, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var followed in _followed.Values)
        {
            await followed.Stop.CancelAsync();
        }

        await Task.WhenAll(_followed.Values.Select(f => f.Loop));
    }

    /// <summary>Starts following symbols that need it and stops following those that no longer do.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<(string Exchange, string Symbol), HashSet<string>>();
        await using (var command = dataSource.CreateCommand($"""
            SELECT w.account, w.symbol,
                   (SELECT coalesce(a.payload->>'exchange', CASE WHEN strpos(a.payload->>'symbol', ':') > 0 THEN split_part(a.payload->>'symbol', ':', 1) END)
                    FROM orders o JOIN alerts a ON a.alert_id = o.alert_id
                    WHERE o.broker = $1 AND o.account = w.account AND o.symbol = w.symbol
                    ORDER BY o.created_at DESC LIMIT 1)
            FROM (SELECT account, symbol FROM orders WHERE broker = $1 AND status = '{OrderStatuses.Accepted}'
                  UNION SELECT account, symbol FROM positions WHERE broker = $1 AND quantity <> 0) w
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = PaperExecution.Broker });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var exchange = reader.IsDBNull(2) ? "" : reader.GetString(2).Trim().ToUpperInvariant();
                if (exchange.Length == 0 && providers.NameFor(exchange) != ProviderNames.Mock)
                {
                    // Without an exchange prefix only the mock market can price the symbol.
                    continue;
                }

                var key = (exchange, reader.GetString(1));
                if (!wanted.TryGetValue(key, out var accounts))
                {
                    wanted[key] = accounts = [];
                }

                accounts.Add(reader.GetString(0));
            }
        }

        foreach (var (key, accounts) in wanted)
        {
            var followed = _followed.GetOrAdd(key, k => Start(k.Exchange, k.Symbol));
            followed.Accounts = accounts;
        }

        foreach (var (key, followed) in _followed)
        {
            if (!wanted.ContainsKey(key) && _followed.TryRemove(key, out _))
            {
                await followed.Stop.CancelAsync();
            }
        }
    }

    /// <summary>One equity point per paper account and interval bucket (cash, positions at their mark, the sum).</summary>
    private async Task RecordEquityAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextEquity)
        {
            return;
        }

        var interval = options.Value.EquityIntervalSeconds;
        var bucket = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / interval * interval);
        _nextEquity = bucket.AddSeconds(interval);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO paper_equity (account, time, cash, position_value, unrealized_pnl, equity)
            SELECT a.account, $1, a.cash,
                   coalesce(sum(p.quantity * coalesce(p.last_price, p.average_price)), 0),
                   coalesce(sum(p.quantity * (coalesce(p.last_price, p.average_price) - p.average_price)), 0),
                   a.cash + coalesce(sum(p.quantity * coalesce(p.last_price, p.average_price)), 0)
            FROM paper_accounts a LEFT JOIN positions p ON p.broker = $2 AND p.account = a.account AND p.quantity <> 0
            GROUP BY a.account, a.cash
            ON CONFLICT (account, time) DO UPDATE
            SET cash = EXCLUDED.cash, position_value = EXCLUDED.position_value, unrealized_pnl = EXCLUDED.unrealized_pnl, equity = EXCLUDED.equity
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = bucket });
        command.Parameters.Add(new NpgsqlParameter { Value = PaperExecution.Broker });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paper market: looking up the symbols to follow failed: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    private sealed class Followed
    {
        public CancellationTokenSource Stop { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;

        public IReadOnlyCollection<string> Accounts { get; set; } = [];

        public decimal? LastPrice { get; set; }
    }
}
