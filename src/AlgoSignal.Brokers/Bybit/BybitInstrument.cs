using AlgoSignal.Domain.Orders;
namespace AlgoSignal.Brokers.Bybit;

/// <summary>Rounding and minimums from <c>/v5/market/instruments-info</c>.</summary>
public sealed record BybitInstrument(string Symbol, decimal TickSize, decimal QtyStep, decimal MinOrderQty, decimal MinNotional)
{
    public decimal RoundQuantity(decimal quantity) => Math.Floor(quantity / QtyStep) * QtyStep;

    /// <summary>A buy's limit rounds down and a sell's up: never a worse price than asked.</summary>
    public decimal RoundPrice(decimal price, string side) =>
        (side == OrderSides.Buy ? Math.Floor(price / TickSize) : Math.Ceiling(price / TickSize)) * TickSize;
}
