using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Domain.Alerts;

/// <summary>An order type as alerts carry it and orders store it (<c>orders.order_type</c>): the one mapping to and from <see cref="OrderType"/>.</summary>
public static class AlertOrderTypes
{
    public const string Market = "market";
    public const string Limit = "limit";
    public const string Stop = "stop";
    public const string StopLimit = "stop_limit";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Market, Limit, Stop, StopLimit };

    public static string ToText(this OrderType type) => type switch
    {
        OrderType.Market => Market,
        OrderType.Limit => Limit,
        OrderType.Stop => Stop,
        OrderType.StopLimit => StopLimit,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an order type"),
    };

    public static OrderType Parse(string text) => text switch
    {
        Market => OrderType.Market,
        Limit => OrderType.Limit,
        Stop => OrderType.Stop,
        StopLimit => OrderType.StopLimit,
        _ => throw new FormatException($"\"{text}\" is not an order type."),
    };
}
