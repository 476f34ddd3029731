using System.Text.Json;
using AlgoSignal.Brokers;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Decisions;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Risk;
using AlgoSignal.Domain.Signals;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Carries one route of an alert out inside the alert's transaction: reads what its legs need (the book
/// under its lock, the position, the figures <see cref="LegNeeds"/> asks for), lets the Domain decide
/// each leg (<see cref="LegDecider"/>) and stores what it decided — a paper order placed at once, a live
/// one recorded for <see cref="BrokerSubmitter"/>, a cancel carried out.
/// </summary>
public sealed class RouteExecution(
    AlgoSignalDbContext db,
    PaperBroker paper,
    OpenBooks books,
    BrokerRegistry brokers,
    RiskFacts facts,
    IOptions<TradingOptions> trading,
    IOptions<PaperBrokerOptions> paperOptions)
{
    public async Task<RouteRun> ExecuteAsync(
        AlertEntity alert, AlertPayload payload, StrategyDefinition strategy, StrategyRoute route, int routeIndex, AlertPrelude prelude, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The paper broker and the live adapters are venues alike: gated and checked the same way, placed differently.
        ITradingVenue? venue = route.Broker == paper.Name ? paper : brokers.Find(route.Broker);
        if (venue is null)
        {
            return new RouteRun(AlertGate.UnknownBroker(route.Broker));
        }

        if (AlertGate.LiveEndpoint(route.Broker, venue.IsLive, venue.EnvironmentReason, trading.Value.LiveEnabled, strategy.Mode) is { } refused)
        {
            return new RouteRun(refused);
        }

        var isPaper = venue == paper;
        var symbol = payload.Ticker;
        var key = new BookKey(route.Broker, route.Account, symbol);
        var book = await books.LoadAsync(key, cancellationToken);
        List<OrderEntity> filledElsewhere = [];
        if (isPaper && payload.Price is { } observed)
        {
            // A new price for the symbol: resting orders it crosses fill first, as they would have.
            filledElsewhere.AddRange(await paper.MatchRestingAsync(route.Account, symbol, observed, now, cancellationToken));
        }

        var position = await books.FindPositionAsync(key, cancellationToken);
        var mapping = SignalMapper.Map(payload, position?.Quantity ?? 0m);
        alert.Signal ??= JsonSerializer.Serialize(new
        {
            action = payload.Action,
            symbol = payload.Symbol,
            exchange = payload.EffectiveExchange,
            legs = mapping.Legs.Select(l => new { intent = l.Intent, side = l.Side, quantity = l.Quantity }),
            rejection = mapping.RejectionReason,
        }, JsonDefaults.SnakeCase);
        if (mapping.IsRejected)
        {
            return new RouteRun(new RouteResult(AlertStatuses.Rejected, mapping.RejectionReason), filledElsewhere);
        }

        var status = AlertStatuses.Filled;
        var submits = false;
        var placed = new List<OrderEntity>();
        foreach (var leg in mapping.Legs)
        {
            if (leg.Intent == SignalIntent.Cancel)
            {
                return await CancelAsync(alert, route, symbol, isPaper, now, filledElsewhere, cancellationToken);
            }

            var decided = LegDecider.Decide(await FactsAsync(payload, strategy, leg, route, isPaper, position, book, alert.ReceivedAt, prelude, now, cancellationToken));
            if (decided is LegDecision.Place place)
            {
                db.RiskDecisions.Add(OrderRows.Risk(alert, place.Risk, now));
                var order = OrderRows.ForLeg(alert, routeIndex, leg.Index, route, symbol, strategy.Name, place.Order,
                    isPaper ? OrderStatuses.Accepted : OrderStatuses.Submitting, now);
                var unsupported = venue.Capabilities.Check(BrokerSubmitter.ToBrokerOrder(order, payload.Price));
                if (unsupported is null)
                {
                    placed.Add(order);
                    if (!isPaper)
                    {
                        // Sent after this transaction commits (BrokerSubmitter): no network call holds the lock,
                        // and a crash in between resumes from this row by its client order id.
                        order.Events.Add(OrderRows.Submitting(order, payload.Price, now));
                        await db.Orders.AddAsync(order, cancellationToken);
                        (submits, status) = (true, AlertStatuses.Ordered);
                        continue;
                    }

                    await paper.PlaceAsync(order, payload.Price, now, cancellationToken);
                    status = order.Status == OrderStatuses.Filled ? status : AlertStatuses.Ordered;
                    position = await books.FindPositionAsync(key, cancellationToken);
                    continue;
                }

                decided = new LegDecision.Refused("broker_capabilities", $"{route.Broker}: {unsupported}", $"{route.Broker}: {unsupported}");
            }

            // A leg refused after an earlier one was placed (the exit of a reversal) must not hide that
            // order: the route then ends partially_executed, naming both.
            var refusal = (LegDecision.Refused)decided;
            db.RiskDecisions.Add(OrderRows.Risk(alert, RiskDecision.Reject(refusal.Rule, refusal.Reason), now));
            return new RouteRun(RouteOutcomes.Refused([.. placed.Select(OrderRows.Placed)], leg.Intent, refusal.Rule, refusal.Summary), filledElsewhere, submits);
        }

        return new RouteRun(new RouteResult(status, null), filledElsewhere, submits);
    }

    /// <summary>
    /// A cancel alert: the paper broker's resting orders are cancelled now; a live broker's are marked
    /// cancelling and cancelled there after commit (<see cref="BrokerSubmitter"/>).
    /// </summary>
    private async Task<RouteRun> CancelAsync(
        AlertEntity alert, StrategyRoute route, string symbol, bool isPaper, DateTimeOffset now, List<OrderEntity> filledElsewhere, CancellationToken cancellationToken)
    {
        if (isPaper)
        {
            var cancelled = await paper.CancelRestingAsync(route.Account, symbol, $"cancelled by alert {alert.AlertId}", now, cancellationToken);
            return new RouteRun(RouteOutcomes.CancelledOnPaper(cancelled), filledElsewhere);
        }

        var resting = await db.Orders
            .Where(o => o.Broker == route.Broker && o.Account == route.Account && o.Symbol == symbol && o.Status == OrderStatuses.Accepted)
            .ToListAsync(cancellationToken);
        resting.ForEach(o => o.Status = OrderStatuses.Cancelling);
        return new RouteRun(RouteOutcomes.CancellingAtBroker(resting.Count), filledElsewhere, resting.Count > 0);
    }

    /// <summary>What the leg's decision looks at; each figure is read only when a rule can use it (the hot path stays a few queries).</summary>
    private async Task<LegFacts> FactsAsync(
        AlertPayload payload, StrategyDefinition strategy, SignalLeg leg, StrategyRoute route, bool isPaper, PositionEntity? position, TradingBook book,
        DateTimeOffset receivedAt, AlertPrelude prelude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var needs = LegNeeds.For(strategy, leg, isPaper);
        return new LegFacts
        {
            Alert = payload,
            Strategy = strategy,
            Leg = leg,
            IsPaper = isPaper,
            Position = position?.Quantity ?? 0m,
            EntriesInPosition = position?.Entries ?? 0,
            OpenPositions = book.OpenPositions,
            ReceivedAt = receivedAt,
            Now = now,
            LiveTradingEnabled = trading.Value.LiveEnabled,
            KillSwitchEnabled = prelude.KillSwitch,
            KillSwitchReason = prelude.KillSwitchReason,
            KillSwitchAllowsExits = trading.Value.KillSwitchAllowsExits,
            LotStep = paperOptions.Value.LotStep,
            Equity = needs.Equity ? await paper.EquityAsync(route.Account, now, cancellationToken) : 0m,
            OrdersLastMinute = needs.OrdersLastMinute ? await facts.OrdersLastMinuteAsync(strategy.Name, now, cancellationToken) : 0,
            RealizedPnlToday = needs.RealizedPnlToday ? await facts.RealizedPnlTodayAsync(strategy.Name, route.Account, now, cancellationToken) : 0m,
        };
    }
}

/// <summary>What one route of an alert ended with, and what the consumer must do about it after commit.</summary>
/// <param name="FilledElsewhere">Resting orders of earlier alerts that this alert's price filled.</param>
/// <param name="NeedsBrokerSubmission">The route recorded orders (or cancels) for a live broker.</param>
public sealed record RouteRun(RouteResult Result, IReadOnlyList<OrderEntity> FilledElsewhere, bool NeedsBrokerSubmission = false)
{
    public RouteRun(RouteResult result)
        : this(result, [])
    {
    }
}
