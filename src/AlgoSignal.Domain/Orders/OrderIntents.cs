using AlgoSignal.Domain.Signals;

namespace AlgoSignal.Domain.Orders;

/// <summary>
/// What an order does to its position, as stored (<c>orders.intent</c>) and served: an entry opens or adds, an exit
/// reduces or closes and never opens (a broker gets it reduce-only). The one mapping to and from <see cref="OrderIntent"/>.
/// </summary>
public static class OrderIntents
{
    public const string Entry = "entry";
    public const string Exit = "exit";

    public static string ToText(this OrderIntent intent) => intent switch
    {
        OrderIntent.Entry => Entry,
        OrderIntent.Exit => Exit,
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "not an order intent"),
    };

    public static OrderIntent Parse(string text) => text switch
    {
        Entry => OrderIntent.Entry,
        Exit => OrderIntent.Exit,
        _ => throw new FormatException($"\"{text}\" is not an order intent."),
    };

    /// <summary>The stored intent of a leg that places an order (a cancel places none).</summary>
    public static string Of(SignalIntent intent) => intent switch
    {
        SignalIntent.Entry => Entry,
        SignalIntent.Exit => Exit,
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "A cancel places no order."),
    };
}
