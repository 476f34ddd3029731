using AlgoSignal.Brokers.Paper;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.Domain.Orders;
using AlgoSignal.MarketData.TradingView;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.Worker.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Worker.Pipeline;

// Following one symbol: its live feed, reconnected with backoff, and each new price matched against every following account's book.
public sealed partial class PaperMarketFollower
{
    private static readonly Timeframe OneMinute = Timeframe.TryParse("1", out var t) ? t : throw new InvalidOperationException();

    private Followed Start(string exchange, string symbol)
    {
        var followed = new Followed();
        followed.Loop = Task.Run(() => FollowAsync(exchange, symbol, followed, followed.Stop.Token));
        return followed;
    }

    private async Task FollowAsync(string exchange, string symbol, Followed followed, CancellationToken cancellationToken)
    {
        var request = new TvRequest(exchange, symbol, OneMinute, 2);
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await providers.For(exchange).StreamAsync(request, async bar =>
                {
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
                LogFeedFailed(logger, request.FullSymbol, ex.Message);
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
        var paper = scope.ServiceProvider.GetRequiredService<PaperExecution>();
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
        var settled = new List<AlertEntity>();
        foreach (var alertId in filled.Where(o => o.Role == "main").Select(o => o.AlertId).Distinct())
        {
            var alert = await db.Alerts.FindAsync([alertId], cancellationToken);
            var pending = await db.Orders.CountAsync(o => o.AlertId == alertId && o.Role == "main" && o.Status == OrderStatuses.Accepted, cancellationToken);
            if (alert is { Status: AlertStatuses.Ordered } && pending == 0)
            {
                alert.Status = AlertStatuses.Filled;
                alert.UpdatedAt = now;
                settled.Add(alert);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        settled.ForEach(alert => metrics.AlertSettled(alert));
        foreach (var order in filled)
        {
            LogMarketFill(logger, order.ClientOrderId, symbol, price);
            await bus.Publish(new OrderFilled(order.AlertId, order.ClientOrderId, order.Broker, order.Account, order.Symbol, order.Side, order.FilledQuantity, order.AveragePrice ?? 0m), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paper market: the live feed of {Symbol} failed ({Error}); following it again shortly")]
    private static partial void LogFeedFailed(ILogger logger, string symbol, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paper market: matching {Account} {Symbol} against the market failed: {Error}")]
    private static partial void LogMatchFailed(ILogger logger, string account, string symbol, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Paper order {ClientOrderId} filled on the market price of {Symbol} ({Price})")]
    private static partial void LogMarketFill(ILogger logger, string clientOrderId, string symbol, decimal price);
}
