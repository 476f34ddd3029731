namespace AlgoSignal.Domain.Orders;

/// <summary>An order's intent as stored (<c>orders.intent</c>) and served: the one mapping to and from <see cref="OrderIntent"/>.</summary>
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
}
