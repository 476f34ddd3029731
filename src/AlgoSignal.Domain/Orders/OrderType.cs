namespace AlgoSignal.Domain.Orders;

/// <summary>How an order is priced; stored as <see cref="Alerts.AlertOrderTypes"/>.</summary>
public enum OrderType
{
    Market,
    Limit,
    Stop,
    StopLimit,
}

/// <summary>How long an order may rest; stored as <see cref="Alerts.AlertTimeInForce"/>.</summary>
public enum TimeInForce
{
    Day,
    Gtc,
    Ioc,
    Fok,
}
