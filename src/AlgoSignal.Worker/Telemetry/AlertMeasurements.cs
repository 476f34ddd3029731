using AlgoSignal.Domain.Alerts;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.ServiceDefaults.Telemetry;
using AlgoSignal.Worker.Pipeline;

namespace AlgoSignal.Worker.Telemetry;

/// <summary>What the worker measures of one alert, each a single call from the consumer.</summary>
public static class AlertMeasurements
{
    /// <summary>The decision stage, and — when this delivery decided the alert — its state and its orders.</summary>
    public static void AlertDecided(this AlgoSignalMetrics metrics, AlgoSignalDbContext db, AlertEntity alert, bool decided, long startedAt)
    {
        metrics.AlertStage(AlertStages.Decision, startedAt);
        if (!decided)
        {
            // A redelivery of an alert already final: it was counted when it was decided.
            return;
        }

        if (alert.Status != AlertStatuses.Ordered)
        {
            // An ordered alert waits for its broker; it is counted once, in the state it settles in.
            metrics.AlertFinal(alert.Status);
        }

        foreach (var order in db.ChangeTracker.Entries<OrderEntity>().Select(e => e.Entity).Where(o => o.AlertId == alert.AlertId))
        {
            metrics.Order(order.Broker, order.Status);
        }

        if (alert.Status == AlertStatuses.Filled)
        {
            metrics.AlertStageSince(AlertStages.Fill, alert.ReceivedAt);
        }
    }

    /// <summary>
    /// An <c>ordered</c> alert moved on after its decision (a live broker filled, refused or failed its
    /// orders): the new state is counted, and a fill's time since receipt.
    /// </summary>
    public static void AlertSettled(this AlgoSignalMetrics metrics, AlertEntity alert)
    {
        metrics.AlertFinal(alert.Status);
        if (alert.Status == AlertStatuses.Filled)
        {
            metrics.AlertStageSince(AlertStages.Fill, alert.ReceivedAt);
        }
    }
}
