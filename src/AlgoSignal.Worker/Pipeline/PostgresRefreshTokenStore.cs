using AlgoSignal.Brokers.TradeStation;
using Npgsql;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>Rotated refresh tokens in PostgreSQL (<c>broker_tokens</c>), shared by every worker.</summary>
public sealed class PostgresRefreshTokenStore(NpgsqlDataSource dataSource, TimeProvider time) : IRefreshTokenStore
{
    public async Task<string?> LoadAsync(string broker, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT refresh_token FROM broker_tokens WHERE broker = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = broker });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SaveAsync(string broker, string refreshToken, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO broker_tokens (broker, refresh_token, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (broker) DO UPDATE SET refresh_token = EXCLUDED.refresh_token, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = broker });
        command.Parameters.Add(new NpgsqlParameter { Value = refreshToken });
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
