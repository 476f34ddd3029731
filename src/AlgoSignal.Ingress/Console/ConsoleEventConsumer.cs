using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Turns the events the worker publishes into the console's live events, on a temporary queue of this
/// process (every ingress gets every event; the queue goes away with the process). An alert's final
/// state is read back from PostgreSQL — the events are published after its transaction committed — so
/// the stream shows the same status, reason and time as the alert's story.
/// </summary>
public sealed class ConsoleEventConsumer(ConsoleFeed feed, AlgoSignalDbContext db, RecentEvents recent, KillSwitchChanges changes, SessionRevocations revocations)
    : IConsumer<SignalRejected>, IConsumer<OrderAccepted>, IConsumer<OrderFilled>, IConsumer<OrderRejected>, IConsumer<OrderFailed>, IConsumer<KillSwitchChanged>,
      IConsumer<ConsoleSessionEnded>
{
    public const string EventAlert = "alert";
    public const string EventOrder = "order";
    public const string EventKillSwitch = "kill_switch";

    public Task Consume(ConsumeContext<SignalRejected> context) => PublishAlertAsync(context.Message.AlertId, context.CancellationToken);

    public async Task Consume(ConsumeContext<OrderAccepted> context)
    {
        var m = context.Message;
        Order(new LiveOrder(m.AlertId, m.ClientOrderId, m.Broker, m.Account, m.Symbol, m.Side, OrderStatuses.Accepted, m.Quantity, null, null, null));
        await PublishAlertAsync(m.AlertId, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<OrderFilled> context)
    {
        var m = context.Message;
        Order(new LiveOrder(m.AlertId, m.ClientOrderId, m.Broker, m.Account, m.Symbol, m.Side, OrderStatuses.Filled, null, m.FilledQuantity, m.AveragePrice, null));
        await PublishAlertAsync(m.AlertId, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<OrderRejected> context)
    {
        var m = context.Message;
        Order(new LiveOrder(m.AlertId, m.ClientOrderId, m.Broker, m.Account, null, null, OrderStatuses.Rejected, null, null, null, m.Reason));
        await PublishAlertAsync(m.AlertId, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<OrderFailed> context)
    {
        var m = context.Message;
        Order(new LiveOrder(m.AlertId, m.ClientOrderId, m.Broker, m.Account, null, null, OrderStatuses.Failed, null, null, null, m.Reason));
        await PublishAlertAsync(m.AlertId, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<KillSwitchChanged> context)
    {
        var m = context.Message;
        changes.Record(m);
        feed.Publish(EventKillSwitch, new LiveKillSwitch(m.Enabled, m.Enabled ? "engaged" : "released", m.Reason, m.ChangedBy, m.ChangedAt));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ConsoleSessionEnded> context)
    {
        revocations.Revoke(context.Message.SessionId, context.Message.ExpiresAt);
        return Task.CompletedTask;
    }

    private void Order(LiveOrder order)
    {
        // Nobody watching: the feed keeps no backlog, so there is nothing to prepare (this runs for every order).
        if (feed.Count == 0)
        {
            return;
        }

        // Events are published at least once; a repeat says nothing new.
        if (recent.IsNew($"order:{order.ClientOrderId}:{order.Status}"))
        {
            feed.Publish(EventOrder, order);
        }
    }

    private async Task PublishAlertAsync(Guid alertId, CancellationToken cancellationToken)
    {
        // Nobody watching: no read of the alert back (this runs for every alert the worker decides).
        if (feed.Count == 0)
        {
            return;
        }

        var alert = await db.Alerts.AsNoTracking().Where(a => a.AlertId == alertId)
            .Select(a => new { a.AlertId, a.Strategy, a.Status, a.Reason, a.UpdatedAt, a.Payload, a.Signal })
            .FirstOrDefaultAsync(cancellationToken);
        if (alert is null || alert.Status == AlertStatuses.Received || !recent.IsNew($"alert:{alert.AlertId}:{alert.Status}"))
        {
            return;
        }

        feed.Publish(EventAlert, new LiveAlert(
            alert.AlertId, alert.Strategy, Text(alert.Payload, "symbol"), Text(alert.Signal, "action") ?? Text(alert.Payload, "action"), alert.Status, alert.Reason, alert.UpdatedAt));
    }

    private static string? Text(string? json, string property)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
    }
}
