using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// What an alert's transaction reads before deciding, in one round trip: whether the alert is already
/// stored (a redelivery), the claim of its dedupe key and the key's owner, the strategy it names, the
/// kill switch. The statements run in order, each seeing what the ones before it did. The trading book
/// of each route follows once the strategy says which (<see cref="Persistence.Books.OpenBooks.LoadAsync"/>).
/// </summary>
public sealed record AlertPrelude(bool AlertExists, Guid? DedupeOwner, StrategyEntity? Strategy, bool KillSwitch, string? KillSwitchReason)
{
    public static async Task<AlertPrelude> LoadAsync(
        AlgoSignalDbContext db, Guid alertId, string? dedupeKey, DateTimeOffset now, DateTimeOffset dedupeExpires, string? strategyName,
        CancellationToken cancellationToken)
    {
        await using var batch = Batches.InTransaction(db, "The prelude (the dedupe claim belongs to it)");
        batch.BatchCommands.Add(Batches.Command("SELECT 1 FROM alerts WHERE alert_id = $1", alertId));
        batch.BatchCommands.Add(Batches.Command("SELECT enabled, reason FROM kill_switch WHERE id = 1"));
        if (dedupeKey is not null)
        {
            // One statement, so two workers racing for the same key cannot both win: a live key keeps
            // its owner; an expired one (or a redelivery of the owner itself) is taken over. The next
            // statement reads the owner whichever way it went.
            batch.BatchCommands.Add(Batches.Command(
                """
                INSERT INTO dedupe_keys (key, alert_id, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (key) DO UPDATE SET alert_id = EXCLUDED.alert_id, expires_at = EXCLUDED.expires_at
                    WHERE dedupe_keys.expires_at <= $4 OR dedupe_keys.alert_id = EXCLUDED.alert_id
                RETURNING alert_id
                """,
                dedupeKey, alertId, dedupeExpires, now));
            batch.BatchCommands.Add(Batches.Command("SELECT alert_id FROM dedupe_keys WHERE key = $1", dedupeKey));
        }

        if (strategyName is not null)
        {
            batch.BatchCommands.Add(Batches.Command("SELECT name, enabled, mode, definition::text, created_at, updated_at FROM strategies WHERE name = $1", strategyName));
        }

        bool exists;
        bool killSwitch = false;
        string? killReason = null;
        Guid? owner = null;
        StrategyEntity? strategy = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            exists = await reader.ReadAsync(cancellationToken);

            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                killSwitch = reader.GetBoolean(0);
                killReason = reader.IsDBNull(1) ? null : reader.GetString(1);
            }

            if (dedupeKey is not null)
            {
                await reader.NextResultAsync(cancellationToken); // the claim: a row when it was taken
                await reader.NextResultAsync(cancellationToken);
                owner = await reader.ReadAsync(cancellationToken)
                    ? reader.GetGuid(0)
                    : throw new InvalidOperationException($"Dedupe key {dedupeKey} has no owner right after it was claimed.");
            }

            if (strategyName is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    strategy = new StrategyEntity
                    {
                        Name = reader.GetString(0),
                        Enabled = reader.GetBoolean(1),
                        Mode = reader.GetString(2),
                        Definition = reader.GetString(3),
                        CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
                        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(5),
                    };
                }
            }
        }

        return new AlertPrelude(exists, owner, strategy, killSwitch, killReason);
    }
}
