using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

[Collection(AlgoSignalCollection.Name)]
public sealed class Filtering_the_alerts(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_filter_by_symbol_and_time_and_name_each_alerts_symbol()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("filter");
        var before = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        var eth = await SendAsync(strategy, "BINANCE:ETHUSDT");
        var sol = await SendAsync(strategy, "SOLUSDT");
        var after = TimeProvider.System.GetUtcNow().AddSeconds(1);

        var all = await ListAsync($"strategy={strategy}");
        all.Select(a => a.GetProperty("alert_id").GetGuid()).ShouldBe([sol, eth]);
        all.Select(a => a.GetProperty("symbol").GetString()).ShouldBe(["SOLUSDT", "BINANCE:ETHUSDT"]);

        // A bare ticker matches on any exchange; with an exchange only there; case does not matter.
        (await ListAsync($"strategy={strategy}&symbol=ethusdt")).Single().GetProperty("alert_id").GetGuid().ShouldBe(eth);
        (await ListAsync($"strategy={strategy}&symbol=binance:ethusdt")).Single().GetProperty("alert_id").GetGuid().ShouldBe(eth);
        (await ListAsync($"strategy={strategy}&symbol=COINBASE:ETHUSDT")).ShouldBeEmpty();
        (await ListAsync($"strategy={strategy}&symbol=SOLUSDT")).Single().GetProperty("alert_id").GetGuid().ShouldBe(sol);
        (await ListAsync($"strategy={strategy}&symbol=ETH")).ShouldBeEmpty();

        (await ListAsync($"strategy={strategy}&from={Iso(before)}&to={Iso(after)}")).Count.ShouldBe(2);
        (await ListAsync($"strategy={strategy}&from={Iso(after)}")).ShouldBeEmpty();
        (await ListAsync($"strategy={strategy}&to={Iso(before)}")).ShouldBeEmpty();
        (await ListAsync($"strategy={strategy}&from={before.UtcDateTime:yyyy-MM-dd}")).Count.ShouldBe(2);

        // Each order names its alert, so a list of orders links to the stories.
        var orders = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders?strategy={strategy}");
        orders.EnumerateArray().Select(o => o.GetProperty("alert_id").GetGuid()).ShouldBe([eth, sol], ignoreOrder: true);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=12/02/2026", "from")]
    [InlineData("to=2026-13-45T00:00:00Z", "to")]
    [InlineData("from=2026-12-02T10:00:00Z&to=2026-12-02T09:00:00Z", "from")]
    public async Task Should_refuse_a_time_it_cannot_read_naming_the_parameter(string query, string field)
    {
        using var response = await fixture.Http.GetAsync($"/api/v1/alerts?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        var messages = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty(field);
        messages[0].GetString().ShouldNotBeNull().ShouldContain(field);
    }

    [Fact]
    public async Task Should_find_an_alert_by_its_exchange_field_joined_to_its_symbol()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("filterx");
        var kraken = await SendAsync(strategy, "ADAUSDT", "\"exchange\":\"KRAKEN\",");
        var prefixed = await SendAsync(strategy, "BINANCE:XRPUSDT", "\"exchange\":\"BYBIT\",");

        (await ListAsync($"strategy={strategy}&symbol=kraken:adausdt")).Single().GetProperty("alert_id").GetGuid().ShouldBe(kraken);
        (await ListAsync($"strategy={strategy}&symbol=BINANCE:ADAUSDT")).ShouldBeEmpty();
        (await ListAsync($"strategy={strategy}&symbol=bybit:binance:xrpusdt")).Single().GetProperty("alert_id").GetGuid().ShouldBe(prefixed);
        (await ListAsync($"strategy={strategy}&symbol=binance:xrpusdt")).Single().GetProperty("alert_id").GetGuid().ShouldBe(prefixed);
        (await ListAsync($"strategy={strategy}&symbol=xrpusdt")).Single().GetProperty("alert_id").GetGuid().ShouldBe(prefixed);
    }

    private async Task<Guid> SendAsync(string strategy, string symbol, string extra = "")
    {
        var (status, body) = await fixture.PostSignedAsync($$"""{{{extra}}"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":10,"quantity":1}""");
        status.ShouldBe(202);
        var id = body.GetProperty("alert_id").GetGuid();
        await fixture.WaitForFinalAsync(id);
        return id;
    }

    private async Task<List<JsonElement>> ListAsync(string query) =>
        (await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?{query}")).EnumerateArray().ToList();

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
}
