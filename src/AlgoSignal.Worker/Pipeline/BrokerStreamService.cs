using System.Collections.Concurrent;
using AlgoSignal.Brokers;
using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Keeps each configured broker's order stream connected — reconnecting with a doubling back-off — and applies what it
/// pushes through <see cref="BrokerOrderUpdates"/>, the rule the poller uses too. While a stream is healthy
/// (<see cref="BrokerStreamHealth"/>) the poller leaves that broker's open orders to it except for a slow safety poll;
/// while it is down, polling follows them at its normal pace. A change pushed for an order not yet followed (the
/// broker's answer to the placement is still being recorded) is kept and applied again shortly.
/// </summary>
public sealed partial class BrokerStreamService(
    IEnumerable<IBrokerOrderStream> streams, IServiceScopeFactory scopes, BrokerOrderUpdates updates, BrokerStreamHealth health,
    TimeProvider time, IOptions<BrokerStreamOptions> options, ILogger<BrokerStreamService> logger) : BackgroundService
{
    /// <summary>How long a change for an order not yet followed is kept and retried.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(2);

    /// <summary>A connection that stayed up this long resets the back-off.</summary>
    public static readonly TimeSpan StableConnection = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Broker, string Key), (BrokerOrderUpdate Update, DateTimeOffset Since)> _pending = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var running = streams.Select(stream => Task.Run(() => KeepConnectedAsync(stream, stoppingToken), stoppingToken)).ToList();
        if (running.Count == 0)
        {
            return;
        }

        running.Add(RetryPendingAsync(stoppingToken));
        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task KeepConnectedAsync(IBrokerOrderStream stream, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var ready = false;
            var readyAt = DateTimeOffset.MaxValue;
            var closedByBroker = false;
            try
            {
                await stream.RunAsync(
                    (update, ct) => OnUpdateAsync(stream.Name, update, ct),
                    () =>
                    {
                        ready = true;
                        readyAt = time.GetUtcNow();
                        // After a snapshot every order's state is current, however old the order: none needs a catch-up poll.
                        health.Connected(stream.Name, stream.SendsSnapshot ? DateTimeOffset.MinValue : time.GetUtcNow());
                        LogConnected(logger, stream.Name, stream.Endpoint);
                    },
                    stoppingToken);
                closedByBroker = ready;
                LogClosed(logger, stream.Name, "the broker closed it");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogClosed(logger, stream.Name, ex.Message);
            }
            finally
            {
                // A connection the broker ended in order (TradeStation's GoAway) is replaced at once: the stream counts as
                // up until that reconnection fails, so polling does not jump in for the moment between the two.
                if (!closedByBroker)
                {
                    health.Disconnected(stream.Name);
                }
            }

            // A connection that was up a while reconnects at once; failures (and connections the broker drops at once)
            // back off 1, 2, 4 … seconds up to the maximum.
            if (ready && time.GetUtcNow() - readyAt >= StableConnection)
            {
                failures = 0;
            }

            var wait = ready && failures == 0 ? TimeSpan.Zero : Backoff(failures++, TimeSpan.FromSeconds(options.Value.MaxBackoffSeconds));
            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public static TimeSpan Backoff(int failures, TimeSpan max)
    {
        var seconds = Math.Min(max.TotalSeconds, Math.Pow(2, Math.Min(failures, 16)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private async Task OnUpdateAsync(string broker, BrokerOrderUpdate update, CancellationToken cancellationToken)
    {
        OrderUpdateOutcome outcome;
        try
        {
            outcome = await ApplyAsync(broker, update, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database is away for a moment: the change is kept and applied again, the stream stays open.
            LogPendingFailed(logger, broker, ex.Message);
            outcome = OrderUpdateOutcome.NotYet;
        }

        var key = (broker, update.BrokerOrderId ?? update.ClientOrderId ?? "");
        // An order AlgoSignal has no record of (placed elsewhere) is left alone: reconciliation reports it. AlgoSignal's own
        // orders are recorded before they are sent, so one of them is never missing, at most not followed yet.
        if (outcome == OrderUpdateOutcome.NotYet && key.Item2.Length > 0)
        {
            // Kept until the order is followed; a later change of the same order replaces it (quantities are cumulative).
            _pending[key] = (update, _pending.TryGetValue(key, out var before) ? before.Since : time.GetUtcNow());
        }
        else
        {
            _pending.TryRemove(key, out _);
        }
    }

    private async Task<OrderUpdateOutcome> ApplyAsync(string broker, BrokerOrderUpdate update, CancellationToken cancellationToken)
    {
        long? orderId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            var orders = db.Orders.AsNoTracking().Where(o => o.Broker == broker);
            orderId = update.BrokerOrderId is { } brokerOrderId
                ? await orders.Where(o => o.BrokerOrderId == brokerOrderId).Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (orderId is null && update.ClientOrderId is { Length: > 0 } clientOrderId)
            {
                // TradeStation echoes the client order id cut to 22 characters; the rest of the id is random, so the prefix is unique.
                orderId = await orders.Where(o => o.ClientOrderId == clientOrderId || (clientOrderId.Length >= 16 && o.ClientOrderId.StartsWith(clientOrderId)))
                    .OrderByDescending(o => o.Id).Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken);
            }
        }

        if (orderId is not { } id)
        {
            return OrderUpdateOutcome.Missing;
        }

        var outcome = await updates.ApplyAsync(id, update.Status, BrokerOrderUpdates.StreamSource, update.EventTime, cancellationToken);
        if (outcome == OrderUpdateOutcome.Applied)
        {
            LogApplied(logger, id, broker, update.Status.Status, update.Status.FilledQuantity);
        }

        return outcome;
    }

    private async Task RetryPendingAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (key, (update, since)) in _pending)
                {
                    try
                    {
                        var outcome = await ApplyAsync(key.Broker, update, stoppingToken);
                        if (outcome != OrderUpdateOutcome.NotYet || time.GetUtcNow() - since > PendingLifetime)
                        {
                            // Applied, or given up: the order's poll settles it either way.
                            _pending.TryRemove(key, out _);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        LogPendingFailed(logger, key.Broker, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream of {Broker} connected ({Endpoint}); its open orders are followed by the stream, with a slow safety poll")]
    private static partial void LogConnected(ILogger logger, string broker, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of {Broker} closed ({Reason}); polling follows its orders until it reconnects")]
    private static partial void LogClosed(ILogger logger, string broker, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} at {Broker}: {Status}, {Filled} filled (stream)")]
    private static partial void LogApplied(ILogger logger, long orderId, string broker, string status, decimal filled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying a streamed change of {Broker} failed: {Error}; tried again")]
    private static partial void LogPendingFailed(ILogger logger, string broker, string error);
}
