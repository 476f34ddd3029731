using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

/// <summary>The OpenAPI document is public and describes every management request body and answer, with the X-Api-Key scheme.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Reading_the_openapi_document(AlgoSignalFixture fixture)
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, "the document is public");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Should_declare_the_api_key_scheme_on_every_api_operation()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        scheme.GetProperty("type").GetString().ShouldBe("apiKey");
        scheme.GetProperty("name").GetString().ShouldBe("X-Api-Key");
        scheme.GetProperty("in").GetString().ShouldBe("header");
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            // Signing in to the console is what gives a session: it needs no key.
            foreach (var operation in path.Value.EnumerateObject().Where(o => !(path.Name == "/api/v1/session" && o.Name == "post")))
            {
                operation.Value.GetProperty("security")[0].TryGetProperty("ApiKey", out _).ShouldBeTrue($"{operation.Name} {path.Name}");
                operation.Value.GetProperty("security")[1].TryGetProperty("Session", out _).ShouldBeTrue($"{operation.Name} {path.Name}");
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/strategies", "post", "201 400 401 409 413 503")]
    [InlineData("/api/v1/strategies/{name}", "put", "200 400 401 404 409 413 503")]
    [InlineData("/api/v1/strategies/{name}", "patch", "200 400 401 404 409 413 415 503")]
    [InlineData("/api/v1/strategies/{name}", "get", "200 400 401 404 503")]
    [InlineData("/api/v1/strategies/{name}/rotate-token", "post", "200 400 401 404 503")]
    [InlineData("/api/v1/alerts/{alertId}", "get", "200 400 401 404 503")]
    [InlineData("/api/v1/alerts", "get", "200 400 401 503")]
    [InlineData("/api/v1/kill-switch", "post", "200 400 401 413 503")]
    [InlineData("/api/v1/positions", "get", "200 400 401 404 503")]
    [InlineData("/api/v1/webhook-log", "get", "200 400 401 503")]
    public async Task Should_describe_every_answer_with_a_schema(string path, string method, string statuses)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);
        var responses = operation.GetProperty("responses");
        foreach (var status in statuses.Split(' '))
        {
            responses.TryGetProperty(status, out var response).ShouldBeTrue($"{method} {path} does not describe {status}");
            response.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema").ValueKind.ShouldBe(JsonValueKind.Object, $"{method} {path} {status}");
        }
    }

    [Fact]
    public async Task Should_describe_the_strategy_bodies_and_answers_field_by_field()
    {
        var document = await DocumentAsync();
        var strategy = document.GetProperty("paths").GetProperty("/api/v1/strategies/{name}");
        var patchTypes = strategy.GetProperty("patch").GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name).ToList();
        patchTypes.ShouldContain("application/merge-patch+json");
        patchTypes.ShouldContain("application/json");
        strategy.GetProperty("put").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").ValueKind.ShouldBe(JsonValueKind.Object);

        // The answer's documented fields are exactly what GET answers (plus the token fields of create).
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var view = schemas.GetProperty("StrategyView").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var answered = (await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/strategies/demo")).EnumerateObject().Select(p => p.Name).ToHashSet();
        view.Except(["webhook_token", "webhook_url"]).ShouldBe(answered, ignoreOrder: true);
        var body = schemas.GetProperty("StrategyDefinition").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        body.ShouldContain("trading_window");
        body.ShouldContain("max_order_notional");
    }
}
