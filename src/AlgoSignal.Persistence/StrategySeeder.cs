using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Persistence;

/// <summary>Creates the paper strategy <c>demo</c> on first start, so the README's sample alert works at once.</summary>
public static class StrategySeeder
{
    public const string DemoName = "demo";

    /// <returns>True when the strategy was created by this call.</returns>
    public static async Task<bool> EnsureDemoAsync(AlgoSignalDbContext db, TimeProvider time, string? webhookToken, CancellationToken cancellationToken)
    {
        var existing = await db.Strategies.FirstOrDefaultAsync(s => s.Name == DemoName, cancellationToken);
        if (existing is not null)
        {
            // A token handed to the seed (the run script's) is set once; a rotated one is kept.
            if (existing.WebhookTokenHash is null && webhookToken is not null)
            {
                existing.WebhookTokenHash = HashToken(webhookToken);
                existing.UpdatedAt = time.GetUtcNow();
                await db.SaveChangesAsync(cancellationToken);
            }

            return false;
        }

        var definition = new StrategyDefinition { Name = DemoName };
        var now = time.GetUtcNow();
        db.Strategies.Add(new StrategyEntity
        {
            Name = DemoName,
            Enabled = true,
            Mode = StrategyModes.Paper,
            Definition = JsonSerializer.Serialize(definition, JsonDefaults.SnakeCase),
            WebhookTokenHash = webhookToken is null ? null : HashToken(webhookToken),
            CreatedAt = now,
            UpdatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another process seeded it at the same moment.
            return false;
        }
    }

    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
