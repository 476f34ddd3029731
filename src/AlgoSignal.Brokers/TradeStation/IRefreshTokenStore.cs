namespace AlgoSignal.Brokers.TradeStation;

/// <summary>Where a rotated OAuth refresh token is kept, so a restart does not fall back to a revoked one.</summary>
public interface IRefreshTokenStore
{
    Task<string?> LoadAsync(string broker, CancellationToken cancellationToken);

    Task SaveAsync(string broker, string refreshToken, CancellationToken cancellationToken);
}
