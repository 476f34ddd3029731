using System.Collections.Concurrent;

namespace AlgoSignal.Brokers.TradeStation;

/// <summary>A process-local store (tests, tools); the worker keeps rotated tokens in PostgreSQL.</summary>
public sealed class InMemoryRefreshTokenStore : IRefreshTokenStore
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    public Task<string?> LoadAsync(string broker, CancellationToken cancellationToken) => Task.FromResult(_tokens.GetValueOrDefault(broker));

    public Task SaveAsync(string broker, string refreshToken, CancellationToken cancellationToken)
    {
        _tokens[broker] = refreshToken;
        return Task.CompletedTask;
    }
}
