using AlgoSignal.Domain.Signals;

namespace AlgoSignal.Domain.Orders;

/// <summary>
/// What an order does to its position, as stored (<c>orders.intent</c>): an entry opens or adds, an exit
/// reduces or closes and never opens (a broker gets it reduce-only).
/// </summary>
public static class OrderIntents
{
    public const string Entry = "entry";
    public const string Exit = "exit";

    /// <summary>The stored intent of a leg that places an order (a cancel places none).</summary>
    public static string Of(SignalIntent intent) => intent switch
    {
        SignalIntent.Entry => Entry,
        SignalIntent.Exit => Exit,
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "A cancel places no order."),
    };
}
