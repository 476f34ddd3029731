using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Receiving_a_tradingview_alert(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_accept_a_valid_token_and_fill_for_the_token_strategy()
    {
        var (name, token) = await fixture.CreateStrategyAsync("tv");
        await using var ingress = await fixture.StartIngressAsync();

        var (status, body, _) = await ingress.PostAsync($"/webhook/tradingview/{token}", """{"action":"buy","symbol":"NASDAQ:AAPL","price":"190.5","quantity":"3"}""", sign: false);

        status.ShouldBe(202);
        var story = await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid());
        story.GetProperty("status").GetString().ShouldBe("filled");
        story.GetProperty("strategy").GetString().ShouldBe(name);
        story.GetProperty("source").GetString().ShouldBe("tradingview");
        story.GetProperty("orders")[0].GetProperty("account").GetString().ShouldBe("acct-" + name);
    }

    [Fact]
    public async Task Should_answer_401_for_an_unknown_token()
    {
        await using var ingress = await fixture.StartIngressAsync();
        var (status, body, _) = await ingress.PostAsync("/webhook/tradingview/" + new string('a', 64), """{"action":"buy","symbol":"AAPL"}""", sign: false);
        status.ShouldBe(401);
        body.GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("token");
    }

    [Fact]
    public async Task Should_stop_accepting_the_old_token_once_rotated()
    {
        var (name, oldToken) = await fixture.CreateStrategyAsync("rot");
        await using var ingress = await fixture.StartIngressAsync();
        (await ingress.PostAsync($"/webhook/tradingview/{oldToken}", """{"action":"buy","symbol":"AAPL","price":1}""", sign: false)).Status.ShouldBe(202);

        var newToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using (var db = fixture.CreateDbContext())
        {
            var strategy = await db.Strategies.SingleAsync(s => s.Name == name);
            strategy.WebhookTokenHash = StrategySeeder.HashToken(newToken);
            await db.SaveChangesAsync();
        }

        // The cache refreshes in the background (5 s) and on a miss; wait for the old token to go.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(15);
        int oldStatus;
        do
        {
            await Task.Delay(250);
            oldStatus = (await ingress.PostAsync($"/webhook/tradingview/{oldToken}", """{"action":"buy","symbol":"AAPL","price":2}""", sign: false)).Status;
        }
        while (oldStatus != 401 && TimeProvider.System.GetUtcNow() < deadline);

        oldStatus.ShouldBe(401);
        (await ingress.PostAsync($"/webhook/tradingview/{newToken}", """{"action":"buy","symbol":"AAPL","price":3}""", sign: false)).Status.ShouldBe(202);
    }

    [Fact]
    public async Task Should_answer_400_when_the_body_names_another_strategy()
    {
        var (_, token) = await fixture.CreateStrategyAsync("mis");
        await using var ingress = await fixture.StartIngressAsync();
        var (status, body, _) = await ingress.PostAsync($"/webhook/tradingview/{token}", """{"strategy":"demo","action":"buy","symbol":"AAPL"}""", sign: false);
        status.ShouldBe(400);
        body.GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("strategy");
    }

    [Fact]
    public async Task Should_refuse_an_address_outside_the_allowlist_even_with_a_spoofed_forwarded_for()
    {
        var (_, token) = await fixture.CreateStrategyAsync("ip");
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string>
        {
            ["Webhook:IpAllowlist:Enabled"] = "true",
            ["Webhook:IpAllowlist:Cidrs:0"] = "tradingview",
        });

        // The peer is 127.0.0.1, not a trusted proxy: its X-Forwarded-For is ignored.
        var (status, body, _) = await ingress.PostAsync($"/webhook/tradingview/{token}", """{"action":"buy","symbol":"AAPL","price":1}""", sign: false,
            headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "52.89.214.238" });
        status.ShouldBe(403);
        body.GetProperty("errors")[0].GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("127.0.0.1");
    }

    [Fact]
    public async Task Should_believe_forwarded_for_only_from_a_trusted_proxy()
    {
        var (_, token) = await fixture.CreateStrategyAsync("px");
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string>
        {
            ["Webhook:IpAllowlist:Enabled"] = "true",
            ["Webhook:IpAllowlist:Cidrs:0"] = "tradingview",
            ["Webhook:TrustedProxies:0"] = "127.0.0.1",
        });

        var allowed = await ingress.PostAsync($"/webhook/tradingview/{token}", """{"action":"buy","symbol":"AAPL","price":1}""", sign: false,
            headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.7, 52.89.214.238" });
        allowed.Status.ShouldBe(202);

        var refused = await ingress.PostAsync($"/webhook/tradingview/{token}", """{"action":"buy","symbol":"AAPL","price":2}""", sign: false,
            headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "52.89.214.238, 198.51.100.7" });
        refused.Status.ShouldBe(403);
    }
}
