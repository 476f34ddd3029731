namespace AlgoSignal.Domain.Notifications;

/// <summary>The events a notification channel can subscribe to (README, Notifications).</summary>
public static class NotificationEvents
{
    public const string OrderFilled = "order.filled";
    public const string OrderRejected = "order.rejected";
    public const string AlertRiskRejected = "alert.risk_rejected";
    public const string AlertRejected = "alert.rejected";
    public const string AlertFailed = "alert.failed";
    public const string KillSwitchChanged = "kill_switch.changed";
    public const string DataQualityDegraded = "data_quality.degraded";
    public const string BrokerDisconnected = "broker.disconnected";
    public const string ReconciliationDrift = "reconciliation.drift";
    public const string SummaryDaily = "summary.daily";

    /// <summary>What <c>POST /api/v1/notifications/test</c> queues; every channel receives it whatever it subscribes to.</summary>
    public const string Test = "test";

    /// <summary>The event of the one message that carries a burst over a channel's limit a minute.</summary>
    public const string Summary = "summary";

    public static IReadOnlyList<string> All { get; } =
        [OrderFilled, OrderRejected, AlertRiskRejected, AlertRejected, AlertFailed, KillSwitchChanged, DataQualityDegraded, BrokerDisconnected, ReconciliationDrift, SummaryDaily];

    /// <summary>A channel that names no events hears these: all but the daily summary.</summary>
    public static IReadOnlyList<string> Default { get; } = [.. All.Where(e => e != SummaryDaily)];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}

/// <summary>The states of one notification's delivery.</summary>
public static class NotificationStatuses
{
    /// <summary>Waiting for its channel (new, or retried after a failure).</summary>
    public const string Pending = "pending";

    /// <summary>The channel took it: its own message, or the summary that carried a burst.</summary>
    public const string Delivered = "delivered";

    /// <summary>Part of a burst over the channel's limit: told in the summary message of the notification it names.</summary>
    public const string Folded = "folded";

    /// <summary>Refused on every attempt (<c>Notifications:MaxAttempts</c>); its last error says why.</summary>
    public const string Failed = "failed";

    /// <summary>Not a state but a metric outcome: an attempt failed and the notification waits for the next one.</summary>
    public const string Retried = "retried";
}

/// <summary>The kinds of notification channels; a metric label and the first part of a channel's name.</summary>
public static class NotificationChannelKinds
{
    public const string Webhook = "webhook";
    public const string Telegram = "telegram";
    public const string Email = "email";
}
