using System.Collections.Concurrent;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// The route each single-route strategy had the last time this worker decided one of its alerts, so
/// the next alert's prelude can also lock and read that route's book in the same round trip. Only a
/// guess: the alert still routes by the strategy it reads; a wrong guess costs a lock held until commit
/// and one more round trip for the right book.
/// </summary>
public sealed class RoutePredictions
{
    private readonly ConcurrentDictionary<string, StrategyRoute> _routes = new(StringComparer.Ordinal);

    public void Remember(StrategyDefinition strategy)
    {
        if (strategy.Routes.Count == 1)
        {
            _routes[strategy.Name] = strategy.Routes[0];
        }
        else
        {
            _routes.TryRemove(strategy.Name, out _);
        }
    }

    public BookKey? For(string? strategy, string? account, string symbol) =>
        strategy is not null && _routes.TryGetValue(strategy, out var route) && (account is null || account == route.Account)
            ? new BookKey(route.Broker, route.Account, symbol)
            : null;
}
