using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// The figures some risk rules need, read from PostgreSQL inside the alert's transaction when the
/// strategy uses the rule (the kill switch and open positions come with the prelude and the book).
/// </summary>
public sealed class RiskFacts(AlgoSignalDbContext db, IOptions<TradingOptions> trading)
{
    public Task<int> OrdersLastMinuteAsync(string strategy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddMinutes(-1);
        return db.Orders.CountAsync(o => o.Strategy == strategy && o.Role == Domain.Orders.OrderRoles.Main && o.CreatedAt > since, cancellationToken);
    }

    /// <summary>Realised P&amp;L (after fees) of the strategy in the account since the account's day began.</summary>
    public Task<decimal> RealizedPnlTodayAsync(string strategy, string account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dayStart = DayStart(now, trading.Value.DayBoundaryTimeZone);
        return db.Orders.Where(o => o.Strategy == strategy && o.Account == account && o.Status == Domain.Orders.OrderStatuses.Filled && o.UpdatedAt >= dayStart)
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
