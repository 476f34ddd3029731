using AlgoSignal.Brokers.Tests.Fakes;

namespace AlgoSignal.Brokers.Tests;

/// <summary>
/// What every broker adapter must do, run against each broker's in-process fake: every broker's tests
/// inherit this class unchanged and supply the adapter and the fake's levers.
/// </summary>
public abstract partial class BrokerAdapterContract : IAsyncLifetime
{
    protected IBrokerAdapter Adapter { get; set; } = null!;

    /// <summary>A symbol the broker trades, in TradingView's form.</summary>
    protected abstract string Symbol { get; }

    /// <summary>A symbol the broker refuses orders for (with a business code).</summary>
    protected abstract string RefusedSymbol { get; }

    /// <summary>A price acceptable for limit and stop orders.</summary>
    protected abstract decimal Price { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    protected abstract int OrdersAtBroker(string clientOrderId);

    protected abstract (decimal? TakeProfit, decimal? StopLoss) BracketAtBroker(string clientOrderId);

    protected abstract void FailNext(int count, int status);

    protected abstract int PlacementAttempts();

    protected abstract void HangNextPlacement();

    protected abstract void FillAtBroker(string clientOrderId, decimal price);

    /// <summary>Makes the adapter's session, token or clock stale, as time would.</summary>
    protected abstract Task ExpireSessionAsync();

    /// <summary>Every request body the fake received, as sent.</summary>
    protected abstract IReadOnlyCollection<string> RequestBodies();

    /// <summary>The side (or trade action) the broker recorded for the order, in the broker's words.</summary>
    protected abstract string SideAtBroker(string clientOrderId);

    /// <summary>The next placement is answered with <paramref name="answer"/> and not placed.</summary>
    protected abstract void AnswerNextPlacementWith(CannedAnswer answer);

    /// <summary>The account at the broker gains a position AlgoSignal did not make (broker symbol, signed quantity).</summary>
    protected abstract void OpenPositionElsewhere(string brokerSymbol, decimal quantity);

    protected BrokerOrder Order(
        string type = "market", decimal quantity = 0.01m, decimal? limit = null, decimal? stop = null, decimal? takeProfit = null, decimal? stopLoss = null,
        string? symbol = null, string side = "buy", bool reduceOnly = false, string timeInForce = "gtc") =>
        new("as" + Guid.NewGuid().ToString("N")[..30], "acct", symbol ?? Symbol, side, quantity, type, limit, stop, timeInForce, takeProfit, stopLoss, reduceOnly, Price);
}
