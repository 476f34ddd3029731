using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Receiving_a_signed_alert(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_queue_it_and_fill_one_paper_order_at_its_price()
    {
        var symbol = "SKEL" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (strategy, _) = await fixture.CreateStrategyAsync("skel");
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BINANCE:{{symbol}}","price":42000.5,"quantity":"2"}""");

        status.ShouldBe(202);
        body.GetProperty("status").GetString().ShouldBe("accepted");
        var alertId = body.GetProperty("alert_id").GetGuid();

        var story = await fixture.WaitForFinalAsync(alertId);
        story.GetProperty("status").GetString().ShouldBe("filled");
        story.GetProperty("strategy").GetString().ShouldBe(strategy);
        story.GetProperty("risk").GetProperty("decision").GetString().ShouldBe("approved");
        var order = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        order.GetProperty("broker").GetString().ShouldBe("paper");
        order.GetProperty("side").GetString().ShouldBe("buy");
        order.GetProperty("status").GetString().ShouldBe("filled");
        order.GetProperty("filled_quantity").GetDecimal().ShouldBe(2m);
        order.GetProperty("average_price").GetDecimal().ShouldBe(42000.5m);
        order.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["accepted", "filled"]);

        // What the API shows is what PostgreSQL holds.
        await using var db = fixture.CreateDbContext();
        var stored = await db.Alerts.SingleAsync(a => a.AlertId == alertId);
        stored.Status.ShouldBe("filled");
        var orders = await db.Orders.Where(o => o.AlertId == alertId).ToListAsync();
        orders.ShouldHaveSingleItem().FilledQuantity.ShouldBe(2m);
        var position = await db.Positions.SingleAsync(p => p.Broker == "paper" && p.Account == "acct-" + strategy && p.Symbol == symbol);
        position.Quantity.ShouldBe(2m);
        position.AveragePrice.ShouldBe(42000.5m);
    }

    [Fact]
    public async Task Should_close_the_position_on_a_close_alert_and_realise_pnl()
    {
        var symbol = "CLS" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (strategy, _) = await fixture.CreateStrategyAsync("cls");
        var (_, entry) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":100,"quantity":3}""");
        (await fixture.WaitForFinalAsync(entry.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");

        var (_, exit) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"close_long","symbol":"{{symbol}}","price":110}""");
        var story = await fixture.WaitForFinalAsync(exit.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("filled");
        var order = story.GetProperty("orders").EnumerateArray().ShouldHaveSingleItem();
        order.GetProperty("side").GetString().ShouldBe("sell");
        order.GetProperty("quantity").GetDecimal().ShouldBe(3m);

        await using var db = fixture.CreateDbContext();
        var position = await db.Positions.SingleAsync(p => p.Symbol == symbol);
        position.Quantity.ShouldBe(0m);
        position.RealizedPnl.ShouldBe(30m);
    }

    [Fact]
    public async Task Should_reject_an_exit_without_a_position_with_a_reason()
    {
        var symbol = "NOP" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"demo","action":"close_long","symbol":"{{symbol}}","price":100}""");
        status.ShouldBe(202);
        var story = await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("rejected");
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("no open long position");
        story.GetProperty("orders").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Should_mark_a_repeated_alert_id_as_duplicate_of_the_first()
    {
        var alertKey = "dup-" + Guid.NewGuid().ToString("N");
        var (strategy, _) = await fixture.CreateStrategyAsync("dup");
        var body = $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"DUPUSDT","price":10,"quantity":1,"alert_id":"{{alertKey}}"}""";
        var (_, first) = await fixture.PostSignedAsync(body);
        var firstId = first.GetProperty("alert_id").GetGuid();
        (await fixture.WaitForFinalAsync(firstId)).GetProperty("status").GetString().ShouldBe("filled");

        var (status, second) = await fixture.PostSignedAsync(body);
        status.ShouldBe(202);
        var story = await fixture.WaitForFinalAsync(second.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("duplicate");
        story.GetProperty("duplicate_of").GetGuid().ShouldBe(firstId);
        story.GetProperty("orders").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Should_mark_a_repeated_payload_without_alert_id_as_duplicate_by_fingerprint()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("fp");
        var body = $$"""{"strategy":"{{strategy}}","action":"buy","symbol":"FPUSDT","price":10,"quantity":1}""";
        var (_, first) = await fixture.PostSignedAsync(body);
        var firstId = first.GetProperty("alert_id").GetGuid();
        (await fixture.WaitForFinalAsync(firstId)).GetProperty("status").GetString().ShouldBe("filled");

        // TradingView re-sends the same body after a 5xx; here it arrives again as text/plain.
        var (status, second) = await fixture.PostSignedAsync(body, contentType: "text/plain; charset=utf-8");
        status.ShouldBe(202);
        var story = await fixture.WaitForFinalAsync(second.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("duplicate");
        story.GetProperty("duplicate_of").GetGuid().ShouldBe(firstId);
    }

    [Theory]
    [InlineData(-400)]
    [InlineData(400)]
    public async Task Should_answer_401_for_a_stale_or_future_timestamp(int offsetSeconds)
    {
        const string body = """{"strategy":"demo","action":"buy","symbol":"BTCUSDT"}""";
        var t = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds;
        var signature = AlgoSignal.Domain.Security.WebhookSignature.Header(AlgoSignalFixture.HmacSecret, t, System.Text.Encoding.UTF8.GetBytes(body));
        var (status, answer) = await fixture.PostSignedAsync(body, signature);
        status.ShouldBe(401);
        answer.GetProperty("errors")[0].GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("timestamp");
    }

    [Fact]
    public async Task Should_accept_a_body_signed_with_any_of_the_rotated_signatures()
    {
        const string body = """{"strategy":"demo","action":"buy","symbol":"ROTATE","price":1}""";
        var t = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var header = $"t={t},v1={AlgoSignal.Domain.Security.WebhookSignature.Compute("retired-secret-0123456789", t, bytes)},v1={AlgoSignal.Domain.Security.WebhookSignature.Compute(AlgoSignalFixture.HmacSecret, t, bytes)}";
        (await fixture.PostSignedAsync(body, header)).Status.ShouldBe(202);
        (await fixture.PostSignedAsync(body.Replace("ROTATE", "TAMPER", StringComparison.Ordinal), header)).Status.ShouldBe(401);
    }

    [Fact]
    public async Task Should_reject_an_unknown_strategy_after_accepting_it()
    {
        var (status, body) = await fixture.PostSignedAsync("""{"strategy":"no-such-strategy","action":"buy","symbol":"BTCUSDT","price":1}""");
        status.ShouldBe(202);
        var story = await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("rejected");
        story.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("Unknown strategy");
    }

    [Fact]
    public async Task Should_answer_401_for_a_bad_signature()
    {
        var (status, body) = await fixture.PostSignedAsync("""{"strategy":"demo","action":"buy","symbol":"BTCUSDT"}""", signature: "t=1,v1=" + new string('0', 64));
        status.ShouldBe(401);
        body.GetProperty("status").GetString().ShouldBe("rejected");
        body.GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("signature");
    }

    [Fact]
    public async Task Should_answer_400_naming_line_and_position_for_malformed_json()
    {
        var (status, body) = await fixture.PostSignedAsync("{\"strategy\":\"demo\",\n\"action\":\"buy\",}", contentType: "text/plain");
        status.ShouldBe(400);
        var message = body.GetProperty("errors")[0].GetProperty("message").GetString();
        message.ShouldNotBeNull();
        message.ShouldContain("line 2");
        message.ShouldContain("trailing comma");
    }

    [Fact]
    public async Task Should_answer_400_listing_every_invalid_field()
    {
        var (status, body) = await fixture.PostSignedAsync("""{"strategy":"demo","action":"jump","symbol":"","price":"{{close}}"}""");
        status.ShouldBe(400);
        body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ShouldBe(["price", "action", "symbol"], ignoreOrder: true);
    }

    [Fact]
    public async Task Should_answer_415_for_an_unsupported_content_type_and_413_when_too_large()
    {
        (await fixture.PostSignedAsync("""{"strategy":"demo"}""", contentType: "application/xml")).Status.ShouldBe(415);
        (await fixture.PostSignedAsync("{\"message\":\"" + new string('x', 70_000) + "\"}")).Status.ShouldBe(413);
    }
}
