using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

[Collection(AlgoSignalCollection.Name)]
public sealed class Finding_an_alert(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_find_an_alert_by_the_senders_alert_id_latest_first()
    {
        var senderId = "sample-" + Guid.NewGuid().ToString("N");
        var body = $$"""{"strategy":"demo","action":"buy","symbol":"BINANCE:BTCUSDT","price":42000,"quantity":1,"alert_id":"{{senderId}}"}""";
        var (_, first) = await fixture.PostSignedAsync(body);
        var firstId = first.GetProperty("alert_id").GetGuid();
        await fixture.WaitForFinalAsync(firstId);

        var found = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{senderId}");
        found.GetProperty("alert_id").GetGuid().ShouldBe(firstId);
        found.GetProperty("status").GetString().ShouldBe("filled");

        // The resend is a duplicate; the sender's id now finds it, and it names the first.
        var (_, second) = await fixture.PostSignedAsync(body);
        var secondId = second.GetProperty("alert_id").GetGuid();
        await fixture.WaitForFinalAsync(secondId);
        var latest = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{senderId}");
        latest.GetProperty("alert_id").GetGuid().ShouldBe(secondId);
        latest.GetProperty("status").GetString().ShouldBe("duplicate");
        latest.GetProperty("duplicate_of").GetGuid().ShouldBe(firstId);

        // AlgoSignal's own id still finds exactly that alert.
        (await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{firstId}")).GetProperty("alert_id").GetGuid().ShouldBe(firstId);
    }

    [Theory]
    [InlineData("sample-never-sent")]
    [InlineData("01a1fca0-653e-7277-aeeb-82c42b14a458")]
    public async Task Should_say_which_ids_it_accepts_when_nothing_matches(string id)
    {
        using var response = await fixture.Http.GetAsync($"/api/v1/alerts/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldNotBeNull();
        detail.ShouldContain(id);
        detail.ShouldContain("AlgoSignal's id");
        detail.ShouldContain("sender's own alert_id");
    }
}
