using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Positions;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Brokers.Paper;

/// <summary>
/// The paper broker's account, kept in PostgreSQL inside the alert's transaction: cash, positions,
/// orders and their events. Market orders fill at the alert's price (plus slippage and fees), or without
/// one at the symbol's current market price (<see cref="PaperMarket"/>); limit, stop and stop-limit orders
/// rest until a later price for the symbol crosses them, an alert's or the market's (the worker follows the
/// market for them); an entry with a take-profit or stop-loss gets bracket children when it fills, and one child
/// filling cancels the other (<see cref="PaperBrackets"/>). Every trigger and fill records which price caused it.
/// A venue like the live brokers, with one difference only it can have: it places inside the alert's transaction.
/// </summary>
public sealed class PaperBroker(AlgoSignalDbContext db, OpenBooks books, IOptions<PaperBrokerOptions> options, PaperMarket market) : ITradingVenue
{
    public const string Broker = BrokerNames.Paper;

    /// <summary>Every order type and time in force an alert can carry, with brackets and short positions.</summary>
    private static readonly BrokerCapabilities Everything = new(AlertOrderTypes.All, AlertTimeInForce.All, Brackets: true, Short: true);

    public string Name => Broker;

    public bool IsLive => false;

    public BrokerEnvironment Environment => BrokerEnvironment.Paper;

    public string EnvironmentReason => "the paper broker simulates fills in AlgoSignal's own database; no order leaves it";

    public BrokerCapabilities Capabilities => Everything;

    /// <summary>Rows per account that cash moves spread over (migration 0015): lanes trading different symbols rarely meet on one.</summary>
    public const int CashShards = 32;

    private readonly Dictionary<(string Account, int Shard), (decimal Delta, decimal Fees)> _cash = [];

    /// <summary>
    /// Applies this transaction's cash moves: an atomic increment per account and shard (the account is
    /// created on its first fill), never read-modify-write, or parallel lanes would lose each other's fills.
    /// The shard follows the symbol, so lanes of different symbols do not wait for each other's commits on
    /// one account row; the account's cash is the sum (<c>paper_account_balances</c>).
    /// </summary>
    public async Task FlushCashAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var initial = options.Value.InitialCash;
        foreach (var ((account, shard), (delta, fees)) in _cash.OrderBy(c => c.Key.Account, StringComparer.Ordinal).ThenBy(c => c.Key.Shard))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO paper_accounts (account, cash, initial_cash, fees_paid, created_at, updated_at)
                VALUES ({account}, {initial}, {initial}, 0, {now}, {now})
                ON CONFLICT (account) DO NOTHING;
                INSERT INTO paper_cash_shards (account, shard, cash_delta, fees_paid, updated_at)
                VALUES ({account}, {shard}, {delta}, {fees}, {now})
                ON CONFLICT (account, shard) DO UPDATE
                SET cash_delta = paper_cash_shards.cash_delta + {delta}, fees_paid = paper_cash_shards.fees_paid + {fees}, updated_at = {now}
                """, cancellationToken);
        }

        _cash.Clear();
    }

    /// <summary>The paper broker's own id for an order: its client order id, marked as paper's.</summary>
    public static string OrderIdOf(OrderEntity order) => "paper-" + order.ClientOrderId;

    private static BookKey KeyOf(string account, string symbol) => new(Broker, account, symbol);

    public async Task<decimal> EquityAsync(string account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureAccountAsync(account, now, cancellationToken);
        var cash = await db.PaperAccounts.AsNoTracking().Where(a => a.Account == account).Select(a => a.Cash).SingleAsync(cancellationToken)
            + _cash.Where(c => c.Key.Account == account).Sum(c => c.Value.Delta);
        // Summed here, not in SQL: numeric products can carry more digits than decimal holds.
        var positions = await db.Positions.AsNoTracking()
            .Where(p => p.Broker == Broker && p.Account == account && p.Quantity != 0m)
            .Select(p => new { p.Quantity, Price = p.LastPrice ?? p.AveragePrice })
            .ToListAsync(cancellationToken);
        return cash + positions.Sum(p => p.Quantity * p.Price);
    }

    /// <summary>Fills the account's resting orders in the symbol that <paramref name="price"/> crosses.</summary>
    /// <returns>The orders filled.</returns>
    public async Task<List<OrderEntity>> MatchRestingAsync(string account, string symbol, decimal price, DateTimeOffset now, CancellationToken cancellationToken, PaperTrigger? trigger = null)
    {
        trigger ??= PaperTrigger.Alert(now);
        var filled = new List<OrderEntity>();
        var book = await books.LoadAsync(KeyOf(account, symbol), cancellationToken);
        foreach (var order in book.Resting.ToList())
        {
            // A sibling filled earlier in this loop may have cancelled it.
            if (order.Status != OrderStatuses.Accepted)
            {
                continue;
            }

            if (PaperMatching.Trigger(order.OrderType, order.Side, order.StopPrice, price))
            {
                order.OrderType = AlertOrderTypes.Limit;
                order.Events.Add(Triggered(order, price, trigger, now));
            }

            if (PaperMatching.FillPrice(order.OrderType, order.Side, order.LimitPrice, order.StopPrice, price, options.Value.SlippageBps) is { } fillPrice)
            {
                await FillAsync(order, fillPrice, price, trigger, now, cancellationToken);
                filled.Add(order);
            }
        }

        return filled;
    }

    /// <summary>
    /// Places an order: fills it now when the reference price allows, else leaves it resting. Without a
    /// reference price the symbol's current market price is used, when the live feed has a fresh one.
    /// </summary>
    public async Task PlaceAsync(OrderEntity order, decimal? referencePrice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        order.BrokerOrderId = OrderIdOf(order);
        order.Status = OrderStatuses.Accepted;
        order.Events.Add(new OrderEventEntity { Type = OrderEventTypes.Accepted, Quantity = order.Quantity, Price = order.LimitPrice ?? order.StopPrice ?? referencePrice, CreatedAt = now });
        await db.Orders.AddAsync(order, cancellationToken);
        var trigger = PaperTrigger.Alert(now);
        if (referencePrice is null && market.Latest(order.Symbol, now, TimeSpan.FromSeconds(options.Value.MaxQuoteAgeSeconds)) is { } quote)
        {
            referencePrice = quote.Price;
            trigger = PaperTrigger.Market(quote.At);
        }

        if (referencePrice is not { } price)
        {
            return;
        }

        if (order.OrderType == AlertOrderTypes.StopLimit && PaperMatching.Trigger(order.OrderType, order.Side, order.StopPrice, price))
        {
            order.OrderType = AlertOrderTypes.Limit;
            order.Events.Add(Triggered(order, price, trigger, now));
        }

        if (PaperMatching.FillPrice(order.OrderType, order.Side, order.LimitPrice, order.StopPrice, price, options.Value.SlippageBps) is { } fillPrice)
        {
            await FillAsync(order, fillPrice, price, trigger, now, cancellationToken);
        }
    }

    /// <summary>Marks the account's position in the symbol to a market price (unrealised P&amp;L follows it).</summary>
    /// <returns>True when a position was marked.</returns>
    public async Task<bool> MarkAsync(string account, string symbol, decimal price, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await books.FindPositionAsync(KeyOf(account, symbol), cancellationToken) is not { } position || position.Quantity == 0m || position.LastPrice == price)
        {
            return false;
        }

        position.LastPrice = price;
        position.UpdatedAt = now;
        return true;
    }

    private static OrderEventEntity Triggered(OrderEntity order, decimal price, PaperTrigger trigger, DateTimeOffset now) => new()
    {
        Type = OrderEventTypes.Triggered,
        Price = price,
        Message = $"stop {order.StopPrice} reached by the {trigger.Source} price {price}",
        CreatedAt = now,
        FillTrigger = trigger.Source,
        TriggerPrice = price,
        TriggeredAt = trigger.At,
    };

    public async Task<int> CancelRestingAsync(string account, string symbol, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var book = await books.LoadAsync(KeyOf(account, symbol), cancellationToken);
        var cancelled = book.Resting.Where(o => o.Status == OrderStatuses.Accepted).ToList();
        foreach (var order in cancelled)
        {
            PaperBrackets.Cancel(order, reason, now);
        }

        return cancelled.Count;
    }

    private async Task FillAsync(OrderEntity order, decimal fillPrice, decimal markPrice, PaperTrigger trigger, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fill = PositionFills.Of(order, order.Quantity, fillPrice, Fill.FeeOf(order.Quantity, fillPrice, options.Value.FeeBps));
        order.Status = OrderStatuses.Filled;
        order.FilledQuantity = order.Quantity;
        order.AveragePrice = fillPrice;
        order.Fees = fill.Fee;
        order.UpdatedAt = now;
        order.Events.Add(new OrderEventEntity
        {
            Type = OrderEventTypes.Filled,
            Quantity = order.Quantity,
            Price = fillPrice,
            Message = fill.Fee == 0m ? null : $"fee {fill.Fee}",
            CreatedAt = now,
            FillTrigger = trigger.Source,
            TriggerPrice = markPrice,
            TriggeredAt = trigger.At,
        });

        // Cash moves are collected and written once, just before commit (FlushCashAsync), into the account's
        // shard for this symbol: lanes of other symbols do not wait on it, and its lock is held for the commit only.
        var cashKey = (order.Account, AlertPartitioning.Partition(Broker, order.Symbol, CashShards));
        _cash[cashKey] = _cash.TryGetValue(cashKey, out var pending)
            ? (pending.Delta + fill.CashDelta, pending.Fees + fill.Fee)
            : (fill.CashDelta, fill.Fee);

        var row = await books.FindPositionAsync(KeyOf(order.Account, order.Symbol), cancellationToken) ?? PositionFills.AddRow(db, order);
        order.RealizedPnl = PositionFills.Apply(row, fill, markPrice, now);
        await PaperBrackets.AfterFillAsync(db, books.Of(order), order, row.Quantity == 0m, now, cancellationToken);
    }

    private Task EnsureAccountAsync(string account, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO paper_accounts (account, cash, initial_cash, created_at, updated_at)
            VALUES ({account}, {options.Value.InitialCash}, {options.Value.InitialCash}, {now}, {now})
            ON CONFLICT (account) DO NOTHING
            """, cancellationToken);
}
