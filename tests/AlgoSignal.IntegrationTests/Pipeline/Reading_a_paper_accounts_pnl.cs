using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence.Entities;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Pipeline;

/// <summary>A paper account's P&amp;L counts the paper broker's positions only, whatever else shares the account's name.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Reading_a_paper_accounts_pnl(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_leave_a_live_brokers_position_of_the_same_account_name_out_of_the_paper_pnl()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("pnl");
        var account = "acct-" + strategy;
        var symbol = "PNL" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":100,"quantity":2}""");
        status.ShouldBe(202, body.ToString());
        (await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");

        // A live broker's account may carry the same name as a paper account: its position is not paper money.
        PositionEntity paper;
        await using (var db = fixture.CreateDbContext())
        {
            paper = db.Positions.Single(p => p.Broker == BrokerNames.Paper && p.Account == account && p.Symbol == symbol);
            db.Positions.Add(new PositionEntity
            {
                Broker = BrokerNames.Bybit, Account = account, Symbol = "LIVE" + symbol, Quantity = 5m, AveragePrice = 1_000m, RealizedPnl = 777m, LastPrice = 1_100m,
                UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var pnl = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/pnl");
        pnl.GetProperty("positions").EnumerateArray().Select(p => p.GetProperty("symbol").GetString()).ShouldBe([symbol]);
        var mark = paper.LastPrice ?? paper.AveragePrice;
        pnl.GetProperty("realized_pnl").GetDecimal().ShouldBe(paper.RealizedPnl);
        pnl.GetProperty("unrealized_pnl").GetDecimal().ShouldBe(paper.Quantity * (mark - paper.AveragePrice));
        pnl.GetProperty("equity").GetDecimal().ShouldBe(pnl.GetProperty("cash").GetDecimal() + (paper.Quantity * mark));
    }
}
