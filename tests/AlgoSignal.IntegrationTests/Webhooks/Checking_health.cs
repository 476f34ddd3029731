using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Checking_health(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_report_live_and_ready_with_rabbitmq_and_postgres()
    {
        (await fixture.Http.GetAsync("/health/live")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var ready = await fixture.Http.GetFromJsonAsync<JsonElement>("/health/ready");
        ready.GetProperty("status").GetString().ShouldBe("healthy");
        var components = ready.GetProperty("components").EnumerateObject().Select(p => p.Name).ToList();
        components.ShouldContain("postgres");
        components.ShouldContain(c => c.Contains("masstransit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_require_the_api_key_for_the_management_api()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.BaseAddress };
        (await anonymous.GetAsync($"/api/v1/alerts/{Guid.NewGuid()}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        anonymous.DefaultRequestHeaders.Add("X-Api-Key", "wrong-key-0123456789");
        (await anonymous.GetAsync($"/api/v1/alerts/{Guid.NewGuid()}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        (await fixture.Http.GetAsync($"/api/v1/alerts/{Guid.NewGuid()}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }
}
