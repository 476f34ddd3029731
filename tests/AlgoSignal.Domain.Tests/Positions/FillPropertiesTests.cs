using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Positions;
using CsCheck;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Positions;

/// <summary>Books that any sequence of fills must keep, checked on random sequences.</summary>
public sealed class FillPropertiesTests
{
    private const decimal InitialCash = 100_000m;

    // Average prices are kept to 10 places: each fill may be off by that much per unit held.
    private const decimal Tolerance = 0.000001m;

    private static readonly Gen<Fill> GenFill =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[1, 10_000], Gen.Int[100, 1_000_000], Gen.Int[0, 50], (buy, entry, lots, cents, feeBps) =>
        {
            var (quantity, price) = (lots / 100m, cents / 100m);
            return new Fill(buy ? OrderSide.Buy : OrderSide.Sell, entry ? OrderIntent.Entry : OrderIntent.Exit, quantity, price, Fill.FeeOf(quantity, price, feeBps));
        });

    private static readonly Gen<(Fill[] Fills, decimal Mark)> GenBook = Gen.Select(GenFill.Array[1, 60], Gen.Int[100, 1_000_000], (fills, mark) => (fills, mark / 100m));

    [Fact]
    public void Quantity_IsTheSumOfSignedFills() =>
        GenBook.Sample(book =>
        {
            var position = book.Fills.Aggregate(PositionState.Flat, (state, fill) => state.ApplyFill(fill).Position);
            position.Quantity.ShouldBe(book.Fills.Sum(f => f.SignedQuantity));
            (position.Quantity == 0m).ShouldBe(position.Entries == 0, "no entries exactly when flat");
        });

    [Fact]
    public void CashAndPositionValue_ReconcileWithPnlLessFees() =>
        GenBook.Sample(book =>
        {
            var (position, cash, ordersPnl) = (PositionState.Flat, InitialCash, 0m);
            foreach (var fill in book.Fills)
            {
                var result = position.ApplyFill(fill);
                (position, cash, ordersPnl) = (result.Position, cash + fill.CashDelta, ordersPnl + result.RealizedPnl);
            }

            var fees = book.Fills.Sum(f => f.Fee);
            (cash + (position.Quantity * book.Mark) - InitialCash).ShouldBe(position.RealizedPnl + position.UnrealizedPnl(book.Mark) - fees, Tolerance);
            ordersPnl.ShouldBe(position.RealizedPnl - fees, "the orders' P&L is the position's, net of every fee");
        });
}
