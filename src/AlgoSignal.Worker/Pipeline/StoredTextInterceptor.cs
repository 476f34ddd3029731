using AlgoSignal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// Every text the worker stores through EF Core passes <see cref="StoredText"/> (a <c>jsonb</c> column
/// by its JSON rules): besides the alert's own fields, a broker's or an exception's words may carry a
/// character PostgreSQL refuses, and one such row would fail the whole transaction.
/// </summary>
public sealed class StoredTextInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Clean(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Clean(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Clean(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is not string text)
                {
                    continue;
                }

                var cleaned = property.Metadata.GetColumnType() == "jsonb" ? StoredText.JsonText(text) : StoredText.Clean(text);
                if (!ReferenceEquals(cleaned, text))
                {
                    property.CurrentValue = cleaned;
                }
            }
        }
    }
}
