using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Npgsql;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

[Collection(AlgoSignalCollection.Name)]
public sealed class Answering_while_the_database_is_away(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_answer_503_with_retry_after_and_recover()
    {
        var direct = new NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3, Pooling = false }.ConnectionString;
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = proxied });
        (await ingress.Http.GetAsync("/api/v1/strategies/demo")).StatusCode.ShouldBe(HttpStatusCode.OK);

        proxy.Cut();
        foreach (var path in new[] { "/api/v1/strategies/demo", "/api/v1/alerts?limit=5", "/api/v1/kill-switch" })
        {
            using var response = await ingress.Http.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, path);
            response.Headers.RetryAfter.ShouldNotBeNull();
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("database");
        }

        proxy.Restore();
        (await ingress.Http.GetAsync("/api/v1/strategies/demo")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
