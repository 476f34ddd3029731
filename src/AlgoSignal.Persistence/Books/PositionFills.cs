using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Positions;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Persistence.Books;

/// <summary>
/// The Domain's one fill rule (<see cref="PositionState.ApplyFill"/>) on stored rows, so the paper broker and the
/// live brokers' fills move positions alike: only reading and writing the row happens here.
/// </summary>
public static class PositionFills
{
    /// <summary>A fill of <paramref name="order"/> as the rule takes it.</summary>
    public static Fill Of(OrderEntity order, decimal quantity, decimal price, decimal fee = 0m) =>
        new(OrderSides.Parse(order.Side), OrderIntents.Parse(order.Intent), quantity, price, fee);

    /// <summary>The fill between the order's recorded cumulative fill and a broker's newer report of it (null: nothing new).</summary>
    public static Fill? Since(OrderEntity order, decimal filledQuantity, decimal? averagePrice) =>
        Fill.Between(OrderSides.Parse(order.Side), OrderIntents.Parse(order.Intent), order.FilledQuantity, order.AveragePrice, filledQuantity, averagePrice);

    /// <summary>A new, flat position row for the order's account and symbol, added to the change tracker.</summary>
    public static PositionEntity AddRow(AlgoSignalDbContext db, OrderEntity order)
    {
        var row = new PositionEntity { Broker = order.Broker, Account = order.Account, Symbol = order.Symbol };
        db.Positions.Add(row);
        return row;
    }

    /// <summary>Applies the fill to the row and marks it at <paramref name="markPrice"/>.</summary>
    /// <returns>The P&amp;L the fill realised, net of its fee (the order's share).</returns>
    public static decimal Apply(PositionEntity row, Fill fill, decimal markPrice, DateTimeOffset now)
    {
        var result = new PositionState(row.Quantity, row.AveragePrice, row.RealizedPnl, row.Entries).ApplyFill(fill);
        (row.Quantity, row.AveragePrice, row.RealizedPnl, row.Entries) =
            (result.Position.Quantity, result.Position.AveragePrice, result.Position.RealizedPnl, result.Position.Entries);
        row.LastPrice = markPrice;
        row.UpdatedAt = now;
        return result.RealizedPnl;
    }
}
