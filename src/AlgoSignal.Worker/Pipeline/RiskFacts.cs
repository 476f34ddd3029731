using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>The figures the risk rules need, read from PostgreSQL inside the alert's transaction.</summary>
public sealed class RiskFacts(AlgoSignalDbContext db, IOptions<TradingOptions> trading)
{
    public async Task<(bool Enabled, string? Reason)> KillSwitchAsync(CancellationToken cancellationToken)
    {
        var row = await db.KillSwitch.AsNoTracking().FirstOrDefaultAsync(k => k.Id == 1, cancellationToken);
        return (row?.Enabled ?? false, row?.Reason);
    }

    public Task<int> OrdersLastMinuteAsync(string strategy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddMinutes(-1);
        return db.Orders.CountAsync(o => o.Strategy == strategy && o.Role == "main" && o.CreatedAt > since, cancellationToken);
    }

    public Task<int> OpenPositionsAsync(string broker, string account, CancellationToken cancellationToken) =>
        db.Positions.CountAsync(p => p.Broker == broker && p.Account == account && p.Quantity != 0m, cancellationToken);

    /// <summary>Realised P&amp;L (after fees) of the strategy in the account since the account's day began.</summary>
    public Task<decimal> RealizedPnlTodayAsync(string strategy, string account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dayStart = DayStart(now, trading.Value.DayBoundaryTimeZone);
        return db.Orders.Where(o => o.Strategy == strategy && o.Account == account && o.Status == "filled" && o.UpdatedAt >= dayStart)
            .SumAsync(o => o.RealizedPnl, cancellationToken);
    }

    public static DateTimeOffset DayStart(DateTimeOffset now, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = new DateTime(local.Year, local.Month, local.Day, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }
}
