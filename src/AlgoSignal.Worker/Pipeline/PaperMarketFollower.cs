using System.Collections.Concurrent;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.Domain.Orders;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults.Telemetry;
using AlgoSignal.Worker.Telemetry;
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
    private static readonly Timeframe OneMinute = Timeframe.TryParse("1", out var t) ? t : throw new InvalidOperationException();

    private readonly ConcurrentDictionary<(string Exchange, string Symbol), Followed> _followed = new();
    private readonly PaperEquity _equity = new(dataSource, options, time);

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
                await _equity.RecordAsync(stoppingToken);
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
            command.Parameters.Add(new NpgsqlParameter { Value = PaperBroker.Broker });
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

    private Followed Start(string exchange, string symbol)
    {
        var followed = new Followed();
        followed.Loop = Task.Run(() => FollowAsync(exchange, symbol, followed, followed.Stop.Token));
        return followed;
    }

    private async Task FollowAsync(string exchange, string symbol, Followed followed, CancellationToken cancellationToken)
    {
        var request = new TvRequest(exchange, symbol, OneMinute, 2);
        var failures = 0; // failed attempts since the feed last delivered a price
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await providers.For(exchange).StreamAsync(request, async bar =>
                {
                    if (failures > 0)
                    {
                        LogFeedBack(logger, request.FullSymbol, failures);
                        failures = 0;
                    }

                    attempt = 0;
                    await OnPriceAsync(symbol, (decimal)bar.Close, followed, cancellationToken);
                }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is TvException or System.Data.Common.DbException or InvalidOperationException)
            {
                // One warning per outage: a feed that cannot be reached is retried for as long as the symbol is
                // followed, and its every attempt at warning level would bury the rest of the log.
                if (failures++ == 0)
                {
                    LogFeedFailed(logger, request.FullSymbol, ex.Message);
                }
                else
                {
                    LogFeedStillFailing(logger, request.FullSymbol, failures, ex.Message);
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(attempt, 6)))), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task OnPriceAsync(string symbol, decimal price, Followed followed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        market.Update(symbol, price, now);
        if (price == followed.LastPrice)
        {
            return;
        }

        followed.LastPrice = price;
        foreach (var account in followed.Accounts)
        {
            try
            {
                await MatchAsync(account, symbol, price, now, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One account's failure must not stop the feed for the others; the next price retries it.
                LogMatchFailed(logger, account, symbol, ex.Message);
            }
        }
    }

    /// <summary>One account's book in the symbol against a market price: its own transaction under the book lock.</summary>
    private async Task MatchAsync(string account, string symbol, decimal price, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
        var paper = scope.ServiceProvider.GetRequiredService<PaperBroker>();
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var filled = await paper.MatchRestingAsync(account, symbol, price, now, cancellationToken, PaperTrigger.Market(now));
        var marked = await paper.MarkAsync(account, symbol, price, now, cancellationToken);
        if (filled.Count == 0 && !marked)
        {
            // Nothing crossed and the mark is unchanged: the transaction (and the lock) just ends.
            return;
        }

        await db.SaveChangesAsync(cancellationToken);
        await paper.FlushCashAsync(now, cancellationToken);
        var settled = await AlertSettlements.SettleAlertsOfAsync(db, filled, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        settled.ForEach(alert => metrics.AlertSettled(alert));
        foreach (var order in filled)
        {
            LogMarketFill(logger, order.ClientOrderId, symbol, price);
            await bus.Publish(new OrderFilled(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Symbol, order.Side, order.FilledQuantity, order.AveragePrice ?? 0m), cancellationToken);
        }
    }

    private sealed class Followed
    {
        public CancellationTokenSource Stop { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;

        public IReadOnlyCollection<string> Accounts { get; set; } = [];

        public decimal? LastPrice { get; set; }
    }
}
