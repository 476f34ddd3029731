using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Brokers.Paper;

/// <summary>
/// How the paper broker fills: market orders at the reference price moved against the trader by the
/// configured slippage, a fee in basis points of the notional.
/// </summary>
public sealed class PaperFillModel(PaperBrokerOptions options)
{
    public PaperFill FillMarket(OrderSide side, decimal quantity, decimal referencePrice)
    {
        var slip = referencePrice * options.SlippageBps / 10_000m;
        var price = side == OrderSide.Buy ? referencePrice + slip : referencePrice - slip;
        var fee = Math.Round(price * quantity * options.FeeBps / 10_000m, 8);
        return new PaperFill(quantity, price, fee);
    }
}
