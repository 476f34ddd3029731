using AlgoSignal.Domain.Positions;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>
/// Hundreds of random alert sequences (entries, exits, reversals, resting orders, brackets, cancels)
/// and the invariants that must hold whatever the sequence.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Keeping_the_books_under_random_alerts(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_keep_positions_cash_and_pnl_reconciled()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("rnd", d => d with { MaxOrdersPerMinute = 0, MaxPositions = 100, Pyramiding = 5, MaxSignalAgeSeconds = 0 });
        var random = new Random(4242);
        string[] symbols = ["RNDA", "RNDB", "RNDC"];
        var ids = new List<Guid>();
        for (var i = 0; i < 300; i++)
        {
            var symbol = symbols[random.Next(symbols.Length)];
            var price = Math.Round(90m + ((decimal)random.NextDouble() * 20m), 2);
            var quantity = random.Next(1, 4);
            var fields = random.Next(12) switch
            {
                0 or 1 => $"\"action\":\"buy\",\"quantity\":{quantity}",
                2 or 3 => $"\"action\":\"sell\",\"quantity\":{quantity}",
                4 => "\"action\":\"close_long\"",
                5 => "\"action\":\"close_short\"",
                6 => "\"action\":\"close\"",
                7 => $"\"action\":\"buy\",\"quantity\":{quantity},\"order_type\":\"limit\",\"limit_price\":{price - 2m}",
                8 => $"\"action\":\"sell\",\"quantity\":{quantity},\"order_type\":\"stop\",\"stop_price\":{price - 3m}",
                9 => $"\"action\":\"buy\",\"quantity\":{quantity},\"take_profit\":{price + 4m},\"stop_loss\":{price - 4m}",
                10 => "\"action\":\"cancel\"",
                _ => $"\"action\":\"sell\",\"quantity\":{quantity},\"market_position\":\"flat\",\"prev_market_position\":\"long\"",
            };
            var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","symbol":"{{symbol}}","price":{{price}},{{fields}}}""");
            status.ShouldBe(202, body.ToString());
            ids.Add(body.GetProperty("alert_id").GetGuid());
        }

        foreach (var id in ids)
        {
            await fixture.WaitForFinalAsync(id, TimeSpan.FromSeconds(60));
        }

        await using var db = fixture.CreateDbContext();
        var account = "acct-" + strategy;
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.Strategy == strategy).ToListAsync();
        var all = await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.AlertId)).ToListAsync();
        alerts.Count.ShouldBe(300, string.Join(", ", all.GroupBy(a => (a.Strategy, a.Status)).Select(g => $"{g.Key}: {g.Count()}")) + " | " + string.Join(" / ", all.Where(a => a.Strategy != strategy).Take(3).Select(a => a.Reason)));
        alerts.ShouldAllBe(a => a.Status != "received", "every alert reaches a final state");
        alerts.Select(a => a.Status).Distinct().Count().ShouldBeGreaterThan(2, "the sequence exercised several outcomes");

        var orders = await db.Orders.AsNoTracking().Where(o => o.Account == account).ToListAsync();
        orders.Count(o => o.Status == "filled").ShouldBeGreaterThan(50);
        var rejectedAlerts = alerts.Where(a => a.Status is "rejected" or "risk_rejected" or "duplicate").Select(a => a.AlertId).ToHashSet();
        orders.ShouldAllBe(o => !rejectedAlerts.Contains(o.AlertId), "no order without an accepted signal");
        var approved = await db.RiskDecisions.AsNoTracking().Where(r => r.Decision == "approved").Select(r => r.AlertId).Distinct().ToListAsync();
        orders.Where(o => o.Role == "main").ShouldAllBe(o => approved.Contains(o.AlertId), "every order passed risk");

        var positions = await db.Positions.AsNoTracking().Where(p => p.Account == account).ToListAsync();
        var fills = orders.Where(o => o.Status == "filled").OrderBy(o => o.UpdatedAt).ThenBy(o => o.Id).ToList();
        foreach (var position in positions)
        {
            var mine = fills.Where(o => o.Symbol == position.Symbol).ToList();
            position.Quantity.ShouldBe(mine.Sum(o => o.Side == "buy" ? o.FilledQuantity : -o.FilledQuantity), $"{position.Symbol}: position equals the sum of fills");
            var replayed = mine.Aggregate(PositionState.Flat, (state, o) => state.Apply(o.Side == "buy" ? o.FilledQuantity : -o.FilledQuantity, o.AveragePrice!.Value));
            position.RealizedPnl.ShouldBe(replayed.RealizedPnl, $"{position.Symbol}: realised P&L replays from the fills");
        }

        var paper = await db.PaperAccounts.AsNoTracking().SingleAsync(a => a.Account == account);
        var fees = fills.Sum(o => o.Fees);
        paper.Cash.ShouldBe(paper.InitialCash - fills.Sum(o => (o.Side == "buy" ? 1 : -1) * o.FilledQuantity * o.AveragePrice!.Value) - fees, "cash equals its fills");
        var equity = paper.Cash + positions.Sum(p => p.Quantity * (p.LastPrice ?? p.AveragePrice));
        var unrealized = positions.Sum(p => p.Quantity == 0m ? 0m : (p.LastPrice!.Value - p.AveragePrice) * p.Quantity);
        (equity - paper.InitialCash).ShouldBe(positions.Sum(p => p.RealizedPnl) + unrealized - fees, 0.000001m, "cash + position value reconciles with P&L (average prices are kept to 10 places)");
    }
}
