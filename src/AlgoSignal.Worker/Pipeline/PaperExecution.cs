using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Positions;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Sizing;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// The paper broker's account, kept in PostgreSQL inside the alert's transaction: cash, positions,
/// orders and their events. Market orders fill at once at the alert's price (plus slippage and fees).
/// </summary>
public sealed class PaperExecution(AlgoSignalDbContext db, IOptions<PaperBrokerOptions> options)
{
    public const string Broker = "paper";

    /// <summary>Serialises every change to one account+symbol until the transaction ends.</summary>
    public Task LockAsync(string account, string symbol, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({Broker + "|" + account + "|" + symbol}, 0))", cancellationToken);

    public async Task<PositionState> GetPositionAsync(string account, string symbol, CancellationToken cancellationToken)
    {
        var row = await FindPositionAsync(account, symbol, cancellationToken);
        return row is null ? PositionState.Flat : new PositionState(row.Quantity, row.AveragePrice, row.RealizedPnl);
    }

    public async Task<RouteResult> PlaceAsync(
        Guid alertId, string clientOrderId, string account, string symbol, SignalLeg leg, AlertPayload alert, StrategyDefinition strategy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var paperAccount = await EnsureAccountAsync(account, now, cancellationToken);
        if (leg.Intent == SignalIntent.Cancel)
        {
            var resting = await db.Orders.Where(o => o.Broker == Broker && o.Account == account && o.Symbol == symbol && o.Status == "accepted").ToListAsync(cancellationToken);
            foreach (var order in resting)
            {
                order.Status = "cancelled";
                order.UpdatedAt = now;
                order.Events.Add(new OrderEventEntity { Type = "cancelled", Message = $"Cancelled by alert {alertId}", CreatedAt = now });
            }

            return new RouteResult(AlertStatuses.Cancelled, resting.Count == 0 ? "No resting orders to cancel." : null);
        }

        if (alert.Price is not { } price && alert.OrderType == AlertOrderTypes.Market)
        {
            return new RouteResult(AlertStatuses.Rejected, "The paper broker fills market orders at the alert's price; add \"price\": {{close}} to the alert message.");
        }

        decimal quantity;
        if (leg.Intent == SignalIntent.Exit)
        {
            quantity = leg.Quantity!.Value;
        }
        else
        {
            var equity = await EquityAsync(paperAccount, cancellationToken);
            var sizing = PositionSizer.Size(new SizingInput(strategy.Sizing, strategy.RiskMultiplier, leg.Quantity, alert.Price, alert.StopLoss, equity, options.Value.LotStep, 0m));
            if (sizing.IsRejected)
            {
                return new RouteResult(AlertStatuses.RiskRejected, "Sizing: " + sizing.RejectionReason);
            }

            quantity = sizing.Quantity;
        }

        var entity = new OrderEntity
        {
            AlertId = alertId,
            Leg = leg.Index,
            Broker = Broker,
            Account = account,
            ClientOrderId = clientOrderId,
            BrokerOrderId = "paper-" + clientOrderId,
            Symbol = symbol,
            Side = leg.Side == OrderSide.Buy ? "buy" : "sell",
            Intent = leg.Intent == SignalIntent.Entry ? "entry" : "exit",
            Quantity = quantity,
            OrderType = alert.OrderType,
            LimitPrice = alert.LimitPrice,
            StopPrice = alert.StopPrice,
            TimeInForce = alert.TimeInForce,
            Status = "accepted",
            CreatedAt = now,
            UpdatedAt = now,
        };
        entity.Events.Add(new OrderEventEntity { Type = "accepted", Quantity = quantity, Price = alert.Price, CreatedAt = now });
        db.Orders.Add(entity);

        if (alert.OrderType != AlertOrderTypes.Market)
        {
            // Resting until a later price crosses it.
            return new RouteResult(AlertStatuses.Ordered, null);
        }

        var fill = new PaperFillModel(options.Value).FillMarket(leg.Side, quantity, alert.Price!.Value);
        entity.Status = "filled";
        entity.FilledQuantity = fill.Quantity;
        entity.AveragePrice = fill.Price;
        entity.Fees = fill.Fee;
        entity.Events.Add(new OrderEventEntity { Type = "filled", Quantity = fill.Quantity, Price = fill.Price, Message = $"fee {fill.Fee}", CreatedAt = now });

        var signed = leg.Side == OrderSide.Buy ? fill.Quantity : -fill.Quantity;
        paperAccount.Cash -= (signed * fill.Price) + fill.Fee;
        paperAccount.FeesPaid += fill.Fee;
        paperAccount.UpdatedAt = now;

        var row = await FindPositionAsync(account, symbol, cancellationToken);
        var state = row is null ? PositionState.Flat : new PositionState(row.Quantity, row.AveragePrice, row.RealizedPnl);
        var next = state.Apply(signed, fill.Price);
        if (row is null)
        {
            row = new PositionEntity { Broker = Broker, Account = account, Symbol = symbol };
            db.Positions.Add(row);
        }

        row.Quantity = next.Quantity;
        row.AveragePrice = next.AveragePrice;
        row.RealizedPnl = next.RealizedPnl;
        row.LastPrice = alert.Price;
        row.UpdatedAt = now;
        return new RouteResult(AlertStatuses.Filled, null);
    }

    private async Task<PositionEntity?> FindPositionAsync(string account, string symbol, CancellationToken cancellationToken) =>
        db.Positions.Local.FirstOrDefault(p => p.Broker == Broker && p.Account == account && p.Symbol == symbol)
        ?? await db.Positions.FirstOrDefaultAsync(p => p.Broker == Broker && p.Account == account && p.Symbol == symbol, cancellationToken);

    private async Task<PaperAccountEntity> EnsureAccountAsync(string account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = db.PaperAccounts.Local.FirstOrDefault(a => a.Account == account)
            ?? await db.PaperAccounts.FirstOrDefaultAsync(a => a.Account == account, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO paper_accounts (account, cash, initial_cash, created_at, updated_at)
            VALUES ({account}, {options.Value.InitialCash}, {options.Value.InitialCash}, {now}, {now})
            ON CONFLICT (account) DO NOTHING
            """, cancellationToken);
        return await db.PaperAccounts.FirstAsync(a => a.Account == account, cancellationToken);
    }

    private async Task<decimal> EquityAsync(PaperAccountEntity account, CancellationToken cancellationToken)
    {
        var positions = await db.Positions.AsNoTracking()
            .Where(p => p.Broker == Broker && p.Account == account.Account)
            .SumAsync(p => p.Quantity * (p.LastPrice ?? p.AveragePrice), cancellationToken);
        return account.Cash + positions;
    }
}
